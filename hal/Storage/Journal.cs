using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using EdgeNode.Hal.Power;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeNode.Hal.Storage;

/// <summary>
/// The store-and-forward journal: append-only, CRC-framed records in segment files
/// (<c>journal-{firstSequence:D20}.seg</c>), with group commit, a persisted "acknowledged by hub" cursor, recovery
/// of torn tails and a bound on disk.
/// <para>Frame (little-endian):
/// <code>
///  0          4          8                   16         20
///  | length   | crc32    | sequence (u64)    | flags    | payload (length bytes)
/// </code>
/// The CRC covers bytes 0..4 and 8..20+length. Recovery keeps every complete, CRC-valid record with a rising
/// sequence; a torn tail is truncated; a damaged record in the middle is skipped and the records after it are kept.</para>
/// <para>Durability: <see cref="Append"/> fsyncs critical records before returning; other records are fsynced by
/// the group commit within <see cref="JournalOptions.CommitInterval"/> (timer from the injected
/// <see cref="TimeProvider"/>). <see cref="ReadPending"/> returns only durable records, so the hub never
/// acknowledges a record that a power cut could still take away.</para>
/// <para>Sequence numbers are never reused: they are reserved in blocks in the <c>journal-meta</c>
/// <see cref="DurableStore"/>, together with the cursor and the drop counters, so a restart continues above every
/// number handed out before (with a gap after a crash).</para>
/// </summary>
public sealed partial class Journal : IDisposable
{
    /// <summary>The absolute cap on one payload (1 MiB).</summary>
    public const int MaxRecordBytesLimit = 1 << 20;
    internal const int HeaderSize = 20;
    internal const ulong ReserveBlock = 1024;
    private const string SegmentPrefix = "journal-";
    private const string SegmentSuffix = ".seg";

    private readonly object _gate = new();
    private readonly string _directory;
    private readonly JournalOptions _options;
    private readonly StorageFileSystem _fs;
    private readonly TimeProvider _time;
    private readonly PowerFailGuard? _guard;
    private readonly ILogger _logger;
    private readonly DurableStore _meta;
    private readonly List<Segment> _segments = [];
    private readonly ITimer _commitTimer;
    private bool _commitPending;
    private bool _disposed;
    private ulong _next;       // next sequence to hand out
    private ulong _reserved;   // highest sequence reserved in meta
    private ulong _last;       // last appended sequence (0 = none)
    private ulong _durable;    // every record <= this is fsynced
    private ulong _acked;      // acknowledged by the hub
    private long _dropped;
    private long _droppedCritical;
    private long _totalBytes;

    private Journal(string directory, JournalOptions options, StorageFileSystem fs, TimeProvider time, PowerFailGuard? guard, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _fs = fs;
        _time = time;
        _guard = guard;
        _logger = logger;
        _meta = DurableStore.Open(directory, "journal-meta", fs, guard: null);
        _commitTimer = time.CreateTimer(_ => CommitTick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Opens (or creates) the journal in <paramref name="directory"/> and recovers it.</summary>
    /// <param name="directory">Its own directory (segments and the journal-meta store live there).</param>
    /// <param name="options">Limits and commit interval; defaults when null.</param>
    /// <param name="time">The clock for group commit; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="guard">Once it has stopped writes, appends throw <see cref="WritesSuspendedException"/>.
    /// Register <c>guard.OnPowerFail("journal", () => journal.Flush())</c> to flush on power fail.</param>
    /// <param name="logger">Optional logger.</param>
    public static Journal Open(string directory, JournalOptions? options = null, TimeProvider? time = null,
        PowerFailGuard? guard = null, ILogger<Journal>? logger = null) =>
        Open(directory, options ?? new JournalOptions(), StorageFileSystem.Physical, time ?? TimeProvider.System, guard, logger);

    internal static Journal Open(string directory, JournalOptions options, StorageFileSystem fs, TimeProvider time,
        PowerFailGuard? guard, ILogger? logger)
    {
        options.Validate();
        var journal = new Journal(directory, options, fs, time, guard, logger ?? NullLogger.Instance);
        try
        {
            journal.Recover();
        }
        catch
        {
            journal.Dispose();
            throw;
        }
        return journal;
    }

    /// <summary>What recovery found at open.</summary>
    public JournalRecovery Recovery { get; private set; }

    /// <summary>The last sequence handed out (0 when none yet).</summary>
    public ulong LastSequence { get { lock (_gate) return _last; } }

    /// <summary>Every record up to this sequence is on disk.</summary>
    public ulong DurableSequence { get { lock (_gate) return _durable; } }

    /// <summary>The hub has acknowledged every record up to this sequence (persisted).</summary>
    public ulong AcknowledgedSequence { get { lock (_gate) return _acked; } }

    /// <summary>Unacknowledged records dropped because the journal was full (persisted, never reset).</summary>
    public long DroppedRecords { get { lock (_gate) return _dropped; } }

    /// <summary>Of those, critical records (only when nothing else could go).</summary>
    public long DroppedCriticalRecords { get { lock (_gate) return _droppedCritical; } }

    /// <summary>Bytes on disk in segment files.</summary>
    public long SizeBytes { get { lock (_gate) return _totalBytes; } }

    /// <summary>Records kept and not yet acknowledged.</summary>
    public long PendingCount
    {
        get
        {
            lock (_gate)
            {
                long n = 0;
                foreach (var s in _segments)
                    foreach (var e in s.Entries)
                        if (e.Sequence > _acked) n++;
                return n;
            }
        }
    }

    /// <summary>Appends a record.</summary>
    /// <param name="payload">The bytes (at most <see cref="JournalOptions.MaxRecordBytes"/>).</param>
    /// <param name="critical">fsync before returning, and keep it when the journal must drop records.</param>
    /// <exception cref="StorageFullException">The disk is full; this record was not stored, earlier ones are intact.</exception>
    /// <exception cref="WritesSuspendedException">Power is failing and writes are stopped.</exception>
    public AppendResult Append(ReadOnlySpan<byte> payload, bool critical = false)
    {
        if (payload.Length > _options.MaxRecordBytes)
            throw new ArgumentException($"journal {_directory}: record of {payload.Length} bytes exceeds the limit of {_options.MaxRecordBytes}", nameof(payload));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var active = _segments[^1];
            _guard?.ThrowIfWritesStopped(active.Path);
            int size = HeaderSize + payload.Length;
            if (active.Length + size > _options.SegmentBytes && active.Entries.Count > 0)
                active = Rotate();
            if (_next > _reserved) Reserve(_next);

            ulong seq = _next;
            var flags = critical ? JournalRecordFlags.Critical : JournalRecordFlags.None;
            byte[] frame = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                Encode(frame.AsSpan(0, size), seq, flags, payload);
                try
                {
                    active.File!.Write(active.Length, frame.AsSpan(0, size));
                }
                catch (IOException e)
                {
                    TryTruncate(active);
                    throw StorageErrors.Wrap(active.Path, $"append of record {seq}", e);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
            _next = seq + 1;
            _last = seq;
            active.Entries.Add(new Entry(seq, active.Length, payload.Length, flags));
            active.Length += size;
            _totalBytes += size;

            if (critical) FsyncLocked();
            else if (!_commitPending)
            {
                _commitPending = true;
                _commitTimer.Change(_options.CommitInterval, Timeout.InfiniteTimeSpan);
            }
            if (_totalBytes > _options.MaxBytes) EnforceBound();
            return new AppendResult(seq, _durable >= seq);
        }
    }

    /// <summary>fsyncs now (the power-fail path and a clean stop call this).</summary>
    /// <returns>The durable sequence.</returns>
    /// <exception cref="IOException">fsync failed (names the file); the durable sequence did not advance.</exception>
    public ulong Flush()
    {
        lock (_gate)
        {
            if (_disposed) return _durable;
            if (_durable < _last) FsyncLocked();
            return _durable;
        }
    }

    /// <summary>Durable records after the acknowledged cursor, oldest first, for sending to the hub.</summary>
    /// <param name="maxRecords">At most this many.</param>
    /// <param name="maxBytes">At most this many payload bytes (at least one record is returned if any is pending).</param>
    public IReadOnlyList<JournalRecord> ReadPending(int maxRecords = 256, long maxBytes = 64 << 10)
    {
        var result = new List<JournalRecord>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long bytes = 0;
            foreach (var segment in _segments)
            {
                if (segment.Entries.Count == 0 || segment.Entries[^1].Sequence <= _acked) continue;
                StorageFile? file = segment.File;
                bool own = false;
                try
                {
                    foreach (var e in segment.Entries)
                    {
                        if (e.Sequence <= _acked) continue;
                        if (e.Sequence > _durable || result.Count >= maxRecords || (result.Count > 0 && bytes + e.Length > maxBytes))
                            return result;
                        if (file is null)
                        {
                            file = _fs.Open(segment.Path, create: false);
                            own = true;
                        }
                        var frame = new byte[HeaderSize + e.Length];
                        int n = file.Read(e.Offset, frame);
                        if (n == frame.Length && TryDecode(frame, 0, 0, out var decoded, out _) && decoded.Sequence == e.Sequence)
                        {
                            result.Add(new JournalRecord(e.Sequence, e.Flags, frame.AsMemory(HeaderSize, e.Length)));
                            bytes += e.Length;
                        }
                        else
                        {
                            Log.RecordUnreadable(_logger, e.Sequence, segment.Path);
                        }
                    }
                }
                catch (IOException ex)
                {
                    throw StorageErrors.Wrap(segment.Path, "read", ex);
                }
                finally
                {
                    if (own) file?.Dispose();
                }
            }
        }
        return result;
    }

    /// <summary>Records that the hub has stored every record up to <paramref name="sequence"/>: fully acknowledged
    /// segments are deleted and the cursor is persisted before this returns (on a full disk the cursor is persisted
    /// with the next successful meta write instead; a resend after a crash is deduplicated by the hub).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sequence is above <see cref="DurableSequence"/>
    /// (it cannot have been sent).</exception>
    public void Acknowledge(ulong sequence)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (sequence <= _acked) return;
            if (sequence > _durable)
                throw new ArgumentOutOfRangeException(nameof(sequence), sequence,
                    $"journal {_directory}: cannot acknowledge {sequence}; only records up to {_durable} are durable and can have been sent");
            _guard?.ThrowIfWritesStopped(_meta.SlotPath(0));
            // Delete first, persist second: deleting acknowledged records is safe even if the cursor save is lost
            // (the hub deduplicates a resend by sequence), and on a full disk the deletion is what frees the space.
            _acked = sequence;
            DeleteAckedSegments();
            try
            {
                SaveMeta();
            }
            catch (StorageFullException e)
            {
                // The hub has the records; the cursor is saved with the next meta write. Worst case after a crash:
                // a few records are sent twice and the hub drops the duplicates.
                Log.CursorNotSaved(_logger, _directory, sequence, e.Message);
            }
        }
    }

    /// <summary>Flushes and closes the journal.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _commitTimer.Dispose();
            try
            {
                if (_segments.Count > 0 && _durable < _last) FsyncLocked();
            }
            catch (IOException e)
            {
                Log.CommitFailed(_logger, _directory, e.Message);
            }
            foreach (var s in _segments) s.File?.Dispose();
        }
    }

    // ---- recovery -------------------------------------------------------------------------------------------

    private void Recover()
    {
        _fs.CreateDirectory(_directory);
        foreach (var stale in _fs.List(_directory, SegmentPrefix + "*" + SegmentSuffix + ".tmp"))
            _fs.Delete(stale); // an interrupted compaction; the original segment is intact
        ReadMeta(out ulong metaReserved);
        var paths = new List<(ulong First, string Path)>();
        foreach (var path in _fs.List(_directory, SegmentPrefix + "*" + SegmentSuffix))
        {
            string name = Path.GetFileName(path);
            var digits = name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentSuffix.Length);
            if (ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong first)) paths.Add((first, path));
        }
        paths.Sort((a, b) => a.First.CompareTo(b.First));

        long records = 0, truncated = 0, skipped = 0;
        ulong lastSeq = 0, highestName = 0;
        foreach (var (first, path) in paths)
        {
            highestName = Math.Max(highestName, first);
            byte[] bytes = _fs.ReadAll(path);
            var segment = new Segment(path, first);
            long validEnd = Scan(bytes, segment.Entries, ref lastSeq, ref skipped);
            records += segment.Entries.Count;
            if (validEnd < bytes.Length)
            {
                truncated += bytes.Length - validEnd;
                using var f = _fs.Open(path, create: false);
                f.SetLength(validEnd);
                f.Fsync();
                Log.TornTail(_logger, path, bytes.Length - validEnd);
            }
            segment.Length = validEnd;
            _segments.Add(segment);
            _totalBytes += validEnd;
        }
        // Acknowledged records that survived a crash between cursor save and segment delete are not "pending".
        _last = lastSeq;
        _durable = lastSeq;
        _next = Math.Max(Math.Max(lastSeq, metaReserved), Math.Max(_acked, highestName == 0 ? 0 : highestName - 1)) + 1;
        _reserved = metaReserved;
        try
        {
            Reserve(_next);
        }
        catch (StorageFullException e)
        {
            // A full disk must not keep the journal from opening: pending records can still be read, sent and
            // acknowledged (which frees space). _next > _reserved, so the next Append retries the reservation.
            Log.OpenedOnFullDisk(_logger, _directory, e.Message);
        }

        if (_segments.Count == 0) CreateSegment(_next);
        var active = _segments[^1];
        active.File = _fs.Open(active.Path, create: true);
        string pending = PendingRuns();
        Recovery = new JournalRecovery(paths.Count, records, truncated, skipped, pending);
        if (truncated > 0 || skipped > 0 || records > 0)
            Log.Recovered(_logger, _directory, records, truncated, skipped, _acked, _next, pending.Length == 0 ? "none" : pending);
        DeleteAckedSegments();
    }

    /// <summary>Walks a segment; returns the end of the last valid record.</summary>
    internal static long Scan(byte[] bytes, List<Entry> entries, ref ulong lastSeq, ref long skipped)
    {
        long pos = 0, validEnd = 0;
        while (pos + HeaderSize <= bytes.Length)
        {
            if (TryDecode(bytes, (int)pos, lastSeq, out var e, out int size))
            {
                entries.Add(e with { Offset = pos });
                lastSeq = e.Sequence;
                pos += size;
                validEnd = pos;
                continue;
            }
            // Damaged record: look for the next valid frame (the CRC makes a false match ~2^-32 per position).
            long found = -1;
            for (long p = pos + 1; p + HeaderSize <= bytes.Length; p++)
            {
                if (TryDecode(bytes, (int)p, lastSeq, out _, out _)) { found = p; break; }
            }
            if (found < 0) break;
            skipped += found - pos;
            pos = found;
        }
        return validEnd;
    }

    internal static bool TryDecode(byte[] bytes, int pos, ulong lastSeq, out Entry entry, out int size)
    {
        entry = default;
        size = 0;
        var span = bytes.AsSpan(pos);
        if (span.Length < HeaderSize) return false;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (length > MaxRecordBytesLimit || HeaderSize + (long)length > span.Length) return false;
        ulong seq = BinaryPrimitives.ReadUInt64LittleEndian(span[8..]);
        if (seq == 0 || seq <= lastSeq) return false;
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        if ((flags & ~(uint)JournalRecordFlags.Critical) != 0) return false;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        if (Crc.Compute(span[..4], span[8..(HeaderSize + (int)length)]) != crc) return false;
        entry = new Entry(seq, pos, (int)length, (JournalRecordFlags)flags);
        size = HeaderSize + (int)length;
        return true;
    }

    internal static void Encode(Span<byte> frame, ulong seq, JournalRecordFlags flags, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[8..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[16..], (uint)flags);
        payload.CopyTo(frame[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc.Compute(frame[..4], frame[8..(HeaderSize + payload.Length)]));
    }

    // ---- meta -----------------------------------------------------------------------------------------------

    private void ReadMeta(out ulong reserved)
    {
        reserved = 0;
        if (!_meta.TryLoad(out var value, out _) || value.Length < 32) return;
        var s = value.Span;
        _acked = BinaryPrimitives.ReadUInt64LittleEndian(s);
        reserved = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        _dropped = (long)BinaryPrimitives.ReadUInt64LittleEndian(s[16..]);
        _droppedCritical = (long)BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
    }

    private void SaveMeta()
    {
        Span<byte> s = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(s, _acked);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], _reserved);
        BinaryPrimitives.WriteUInt64LittleEndian(s[16..], (ulong)_dropped);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], (ulong)_droppedCritical);
        _meta.Save(s);
    }

    private void Reserve(ulong from)
    {
        ulong previous = _reserved;
        _reserved = from - 1 + ReserveBlock;
        try
        {
            SaveMeta();
        }
        catch
        {
            _reserved = previous;
            throw;
        }
    }

    // ---- commit ---------------------------------------------------------------------------------------------

    private void FsyncLocked()
    {
        var active = _segments[^1];
        try
        {
            active.File!.Fsync();
        }
        catch (IOException e)
        {
            throw StorageErrors.Wrap(active.Path, "fsync", e);
        }
        _durable = _last;
        _commitPending = false;
        _commitTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void CommitTick()
    {
        lock (_gate)
        {
            _commitPending = false;
            if (_disposed || _durable >= _last) return;
            try
            {
                FsyncLocked();
            }
            catch (IOException e)
            {
                Log.CommitFailed(_logger, _directory, e.Message);
                _commitPending = true;
                _commitTimer.Change(_options.CommitInterval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    // ---- segments -------------------------------------------------------------------------------------------

    private string SegmentPath(ulong first) => Path.Combine(_directory, $"{SegmentPrefix}{first:D20}{SegmentSuffix}");

    private Segment CreateSegment(ulong first)
    {
        string path = SegmentPath(first);
        var segment = new Segment(path, first);
        try
        {
            using (var f = _fs.Open(path, create: true)) f.Fsync();
            _fs.FsyncDirectory(_directory);
        }
        catch (IOException e)
        {
            throw StorageErrors.Wrap(path, "create segment", e);
        }
        _segments.Add(segment);
        return segment;
    }

    private Segment Rotate()
    {
        var old = _segments[^1];
        FsyncLocked();
        var segment = CreateSegment(_next);
        old.File!.Dispose();
        old.File = null;
        segment.File = _fs.Open(segment.Path, create: true);
        return segment;
    }

    private void TryTruncate(Segment s)
    {
        try
        {
            s.File!.SetLength(s.Length);
        }
        catch (IOException)
        {
            // The next append overwrites the partial frame at s.Length; recovery would skip it anyway.
        }
    }

    private bool DeleteAckedSegments()
    {
        bool any = false;
        while (_segments.Count > 1)
        {
            var s = _segments[0];
            if (s.Entries.Count > 0 && s.Entries[^1].Sequence > _acked) break;
            DeleteSegment(s);
            any = true;
        }
        return any;
    }

    private void DeleteSegment(Segment s)
    {
        s.File?.Dispose();
        _fs.Delete(s.Path);
        _fs.FsyncDirectory(_directory);
        _segments.Remove(s);
        _totalBytes -= s.Length;
    }

    private void EnforceBound()
    {
        try
        {
            while (_totalBytes > _options.MaxBytes)
            {
                if (DeleteAckedSegments()) continue;
                Segment? victim = null;
                for (int i = 0; i < _segments.Count - 1 && victim is null; i++)
                    if (_segments[i].Entries.Exists(e => e.Sequence <= _acked || (e.Flags & JournalRecordFlags.Critical) == 0))
                        victim = _segments[i];
                if (victim is not null)
                {
                    Compact(victim);
                    continue;
                }
                var active = _segments[^1];
                if (active.Entries.Exists(e => (e.Flags & JournalRecordFlags.Critical) == 0) && active.Entries.Count > 0)
                {
                    Rotate();
                    continue;
                }
                if (_segments.Count > 1)
                {
                    var oldest = _segments[0];
                    long lost = oldest.Entries.Count(e => e.Sequence > _acked);
                    _dropped += lost;
                    _droppedCritical += lost;
                    DeleteSegment(oldest);
                    SaveMeta();
                    Log.DroppedCritical(_logger, _directory, lost);
                    continue;
                }
                break;
            }
        }
        catch (IOException e)
        {
            Log.BoundFailed(_logger, _directory, e.Message);
        }
    }

    private void Compact(Segment s)
    {
        var keep = s.Entries.FindAll(e => e.Sequence > _acked && (e.Flags & JournalRecordFlags.Critical) != 0);
        long lost = s.Entries.Count(e => e.Sequence > _acked && (e.Flags & JournalRecordFlags.Critical) == 0);
        if (keep.Count == 0)
        {
            DeleteSegment(s);
        }
        else
        {
            string temp = s.Path + ".tmp";
            var newEntries = new List<Entry>(keep.Count);
            long offset = 0;
            try
            {
                using var source = _fs.Open(s.Path, create: false);
                using var target = _fs.Open(temp, create: true);
                target.SetLength(0);
                foreach (var e in keep)
                {
                    var frame = new byte[HeaderSize + e.Length];
                    source.Read(e.Offset, frame);
                    target.Write(offset, frame);
                    newEntries.Add(e with { Offset = offset });
                    offset += frame.Length;
                }
                target.Fsync();
            }
            catch (IOException)
            {
                try { _fs.Delete(temp); } catch (IOException) { }
                throw;
            }
            _fs.Rename(temp, s.Path);
            _fs.FsyncDirectory(_directory);
            _totalBytes -= s.Length - offset;
            s.Length = offset;
            s.Entries.Clear();
            s.Entries.AddRange(newEntries);
        }
        if (lost > 0)
        {
            _dropped += lost;
            SaveMeta();
            Log.Dropped(_logger, _directory, lost, _dropped);
        }
    }

    internal readonly record struct Entry(ulong Sequence, long Offset, int Length, JournalRecordFlags Flags);

    private sealed class Segment(string path, ulong first)
    {
        public string Path { get; } = path;
        public ulong First { get; } = first;
        public List<Entry> Entries { get; } = [];
        public long Length { get; set; }
        public StorageFile? File { get; set; }
    }

    /// <summary>The kept records after the acknowledged cursor as runs of consecutive sequences: "5-7,1025-1027".</summary>
    private string PendingRuns()
    {
        var runs = new System.Text.StringBuilder();
        ulong first = 0, last = 0;
        foreach (var segment in _segments)
        {
            foreach (var e in segment.Entries)
            {
                if (e.Sequence <= _acked) continue;
                if (first != 0 && e.Sequence == last + 1)
                {
                    last = e.Sequence;
                    continue;
                }
                AppendRun(runs, first, last);
                first = last = e.Sequence;
            }
        }
        AppendRun(runs, first, last);
        return runs.ToString();

        static void AppendRun(System.Text.StringBuilder runs, ulong first, ulong last)
        {
            if (first == 0) return;
            if (runs.Length > 0) runs.Append(',');
            runs.Append(first.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (last != first) runs.Append('-').Append(last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "Journal {Segment}: cut a torn tail of {Bytes} bytes (an append interrupted by a crash or power loss)")]
        public static partial void TornTail(ILogger logger, string segment, long bytes);

        [LoggerMessage(EventId = 171, Level = LogLevel.Information, Message = "Journal {Directory} recovered: {Records} records, {Truncated} torn bytes cut, {Skipped} damaged bytes skipped; acknowledged up to {Acked}, next sequence {Next}; pending {Pending}")]
        public static partial void Recovered(ILogger logger, string directory, long records, long truncated, long skipped, ulong acked, ulong next, string pending);

        [LoggerMessage(EventId = 172, Level = LogLevel.Warning, Message = "Journal {Directory} is full: dropped {Count} oldest non-critical records ({Total} dropped so far)")]
        public static partial void Dropped(ILogger logger, string directory, long count, long total);

        [LoggerMessage(EventId = 173, Level = LogLevel.Error, Message = "Journal {Directory} is full of critical records: dropped the {Count} oldest")]
        public static partial void DroppedCritical(ILogger logger, string directory, long count);

        [LoggerMessage(EventId = 174, Level = LogLevel.Error, Message = "Journal {Directory}: group commit failed, will retry: {Reason}")]
        public static partial void CommitFailed(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 175, Level = LogLevel.Error, Message = "Journal {Directory}: could not make room: {Reason}")]
        public static partial void BoundFailed(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 177, Level = LogLevel.Warning, Message = "Journal {Directory} opened on a full disk ({Reason}): pending records can be read and acknowledged; appends fail until space is freed")]
        public static partial void OpenedOnFullDisk(ILogger logger, string directory, string reason);

        [LoggerMessage(EventId = 178, Level = LogLevel.Warning, Message = "Journal {Directory}: acknowledgement up to {Sequence} kept in memory, the cursor could not be saved ({Reason})")]
        public static partial void CursorNotSaved(ILogger logger, string directory, ulong sequence, string reason);

        [LoggerMessage(EventId = 176, Level = LogLevel.Error, Message = "Journal record {Sequence} in {Segment} no longer passes its CRC; skipped")]
        public static partial void RecordUnreadable(ILogger logger, ulong sequence, string segment);
    }
}
