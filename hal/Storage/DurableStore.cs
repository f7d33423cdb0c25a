using System.Buffers.Binary;
using EdgeNode.Hal.Power;

namespace EdgeNode.Hal.Storage;

/// <summary>
/// A small value (identity, last applied desired state, counters) that survives a pulled plug.
/// <para>Two generations live in <c>name.0</c> and <c>name.1</c>. <see cref="Save"/> writes the next generation to
/// <c>name.tmp</c>, fsyncs it, renames it over the older generation and fsyncs the directory, so the newest valid
/// generation is never touched. Each file is
/// <code>
///  0        4                12       16       20
///  | "EDS1" | sequence (u64) | length | crc32  | payload (length bytes)
/// </code>
/// (little-endian; the CRC covers bytes 0..16 and the payload). <see cref="TryLoad"/> picks the valid file with the
/// highest sequence; a torn or bit-flipped file is ignored, never returned.</para>
/// </summary>
public sealed class DurableStore
{
    /// <summary>The largest value accepted (16 MiB).</summary>
    public const int MaxValueBytes = 16 << 20;
    internal const int HeaderSize = 20;
    private const uint Magic = 0x31534445; // "EDS1" little-endian

    private readonly StorageFileSystem _fs;
    private readonly PowerFailGuard? _guard;
    private readonly object _gate = new();
    private ulong _sequence;

    private DurableStore(string directory, string name, StorageFileSystem fs, PowerFailGuard? guard)
    {
        Directory = directory;
        Name = name;
        _fs = fs;
        _guard = guard;
    }

    /// <summary>The directory holding the files.</summary>
    public string Directory { get; }

    /// <summary>The store's name (file stem).</summary>
    public string Name { get; }

    /// <summary>The sequence of the newest valid generation (0 when empty).</summary>
    public ulong Sequence
    {
        get { lock (_gate) return _sequence; }
    }

    /// <summary>Opens (creating the directory if needed) the store <paramref name="name"/> in
    /// <paramref name="directory"/>. Writes are refused once <paramref name="guard"/> has stopped writes.</summary>
    public static DurableStore Open(string directory, string name, PowerFailGuard? guard = null) =>
        Open(directory, name, StorageFileSystem.Physical, guard);

    internal static DurableStore Open(string directory, string name, StorageFileSystem fs, PowerFailGuard? guard)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(['/', '\0']) >= 0 || name is "." or "..")
            throw new ArgumentException($"durable store name '{name}' must be a plain file name", nameof(name));
        try
        {
            fs.CreateDirectory(directory);
        }
        catch (IOException e)
        {
            throw StorageErrors.Wrap(directory, "create directory", e);
        }
        var store = new DurableStore(directory, name, fs, guard);
        store.TryLoad(out _, out store._sequence);
        return store;
    }

    internal string SlotPath(int slot) => Path.Combine(Directory, $"{Name}.{slot}");

    internal string TempPath => Path.Combine(Directory, $"{Name}.tmp");

    /// <summary>Loads the newest valid generation. Never throws for damaged files: they are skipped.</summary>
    /// <returns>False when no valid generation exists (first boot, or both damaged).</returns>
    public bool TryLoad(out ReadOnlyMemory<byte> value, out ulong sequence)
    {
        value = default;
        sequence = 0;
        bool found = false;
        for (int slot = 0; slot < 2; slot++)
        {
            if (TryReadSlot(SlotPath(slot), out var v, out ulong s) && (!found || s > sequence))
            {
                value = v;
                sequence = s;
                found = true;
            }
        }
        return found;
    }

    private bool TryReadSlot(string path, out ReadOnlyMemory<byte> value, out ulong sequence)
    {
        value = default;
        sequence = 0;
        byte[] bytes;
        try
        {
            if (!_fs.Exists(path)) return false;
            bytes = _fs.ReadAll(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return TryDecode(bytes, out value, out sequence);
    }

    internal static bool TryDecode(byte[] bytes, out ReadOnlyMemory<byte> value, out ulong sequence)
    {
        value = default;
        sequence = 0;
        if (bytes.Length < HeaderSize) return false;
        var span = bytes.AsSpan();
        if (BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic) return false;
        ulong seq = BinaryPrimitives.ReadUInt64LittleEndian(span[4..]);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        if (length > MaxValueBytes || bytes.Length != HeaderSize + (long)length) return false;
        if (Crc.Compute(span[..16], span[HeaderSize..]) != crc) return false;
        value = bytes.AsMemory(HeaderSize);
        sequence = seq;
        return true;
    }

    internal static byte[] Encode(ulong sequence, ReadOnlySpan<byte> value)
    {
        var bytes = new byte[HeaderSize + value.Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(span[4..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)value.Length);
        value.CopyTo(span[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], Crc.Compute(span[..16], value));
        return bytes;
    }

    /// <summary>Stores <paramref name="value"/> as the next generation; when this returns, it is on disk.</summary>
    /// <returns>The new generation's sequence.</returns>
    /// <exception cref="StorageFullException">The disk is full; the previous generation is still the one loaded.</exception>
    /// <exception cref="WritesSuspendedException">Power is failing and writes are stopped.</exception>
    /// <exception cref="IOException">Another I/O failure, naming the file.</exception>
    public ulong Save(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxValueBytes)
            throw new ArgumentException($"durable store {Name}: value of {value.Length} bytes exceeds {MaxValueBytes}", nameof(value));
        lock (_gate)
        {
            _guard?.ThrowIfWritesStopped(SlotPath(0));
            // Re-read both slots: the new generation replaces the older or damaged one, never the newest valid one.
            bool v0 = TryReadSlot(SlotPath(0), out _, out ulong s0);
            bool v1 = TryReadSlot(SlotPath(1), out _, out ulong s1);
            int slot = !v0 ? 0 : !v1 ? 1 : s0 <= s1 ? 0 : 1;
            ulong next = Math.Max(Math.Max(v0 ? s0 : 0, v1 ? s1 : 0), _sequence) + 1;
            byte[] bytes = Encode(next, value);
            string temp = TempPath;
            string target = SlotPath(slot);
            string step = "write";
            try
            {
                using (var file = _fs.Open(temp, create: true))
                {
                    file.SetLength(0);
                    file.Write(0, bytes);
                    step = "fsync";
                    file.Fsync();
                }
                step = "rename";
                _fs.Rename(temp, target);
                step = "fsync directory";
                _fs.FsyncDirectory(Directory);
            }
            catch (IOException e)
            {
                TryDelete(temp);
                throw StorageErrors.Wrap(step is "rename" or "fsync directory" ? target : temp, step, e);
            }
            _sequence = next;
            return next;
        }
    }

    /// <summary>Removes both generations (e.g. a factory reset of the identity).</summary>
    public void Delete()
    {
        lock (_gate)
        {
            _guard?.ThrowIfWritesStopped(SlotPath(0));
            for (int slot = 0; slot < 2; slot++) TryDelete(SlotPath(slot));
            TryDelete(TempPath);
            try
            {
                _fs.FsyncDirectory(Directory);
            }
            catch (IOException e)
            {
                throw StorageErrors.Wrap(Directory, "fsync directory", e);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            if (_fs.Exists(path)) _fs.Delete(path);
        }
        catch (IOException)
        {
            // best effort: a leftover temp file is ignored by TryLoad
        }
    }
}
