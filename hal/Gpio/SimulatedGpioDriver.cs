using System.Device.Gpio;
using System.Globalization;
using System.Text;

namespace EdgeNode.Hal.Gpio;

/// <summary>
/// A <see cref="GpioDriver"/> with no hardware behind it (the agent's --simulate-hardware, and the tests). It keeps
/// each line's mode and level, records the level changes of outputs in <see cref="Timeline"/> with the time
/// from the injected <see cref="TimeProvider"/> (the newest <see cref="TimelineCapacity"/> of them, so a long-running
/// simulated agent blinking its LEDs does not grow), and lets a test drive inputs (<see cref="SetInput"/>), which raises
/// the registered edge callbacks like a real chip would.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Line[] _lines;
    private readonly Queue<GpioLineChange> _timeline = new();

    /// <summary>A simulated chip with <paramref name="lineCount"/> lines, all closed and low.</summary>
    public SimulatedGpioDriver(TimeProvider time, int lineCount = 32, int timelineCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lineCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timelineCapacity, 1);
        _time = time;
        TimelineCapacity = timelineCapacity;
        _lines = new Line[lineCount];
        for (int i = 0; i < lineCount; i++) _lines[i] = new Line();
    }

    /// <summary>How many of the latest changes <see cref="Timeline"/> keeps.</summary>
    public int TimelineCapacity { get; }

    /// <summary>The latest level changes of output lines (at most <see cref="TimelineCapacity"/>), oldest first (a copy).</summary>
    public IReadOnlyList<GpioLineChange> Timeline
    {
        get { lock (_gate) return [.. _timeline]; }
    }

    /// <summary>Forgets the timeline (the line levels stay).</summary>
    public void ClearTimeline()
    {
        lock (_gate) _timeline.Clear();
    }

    /// <summary>The current level of <paramref name="line"/>.</summary>
    public PinValue GetLevel(int line)
    {
        lock (_gate) return Get(line).Value;
    }

    /// <summary>True while the line is requested (opened).</summary>
    public bool IsOpen(int line)
    {
        lock (_gate) return Get(line).Open;
    }

    /// <summary>Marks a line as held by another consumer: requesting it fails like EBUSY on a real chip.</summary>
    public void SetBusy(int line, bool busy = true)
    {
        lock (_gate) Get(line).Busy = busy;
    }

    /// <summary>Drives an input line from outside (e.g. the PSU's power-good going low) and raises the matching
    /// edge callbacks synchronously.</summary>
    public void SetInput(int line, PinValue value)
    {
        PinChangeEventHandler[] handlers;
        PinEventTypes edge;
        lock (_gate)
        {
            var l = Get(line);
            if (l.Value == value) return;
            l.Value = value;
            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = [.. l.Callbacks.Where(c => (c.Types & edge) != 0).Select(c => c.Handler)];
        }
        foreach (var h in handlers) h(this, new PinValueChangedEventArgs(edge, line));
    }

    /// <summary>The timeline as text, one change per line: "+0.250s line 0 High" (times relative to
    /// <paramref name="origin"/>, or the first change).</summary>
    public string FormatTimeline(DateTimeOffset? origin = null, Func<int, string>? lineName = null)
    {
        var changes = Timeline;
        var sb = new StringBuilder();
        if (changes.Count == 0) return "";
        var start = origin ?? changes[0].At;
        foreach (var c in changes)
        {
            sb.Append('+').Append((c.At - start).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)).Append("s ")
              .Append(lineName?.Invoke(c.Line) ?? $"line {c.Line}").Append(' ')
              .Append(c.Value == PinValue.High ? "High" : "Low").AppendLine();
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    protected override int PinCount => _lines.Length;

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            var l = Get(pinNumber);
            if (l.Open) throw new InvalidOperationException($"simulated GPIO line {pinNumber} is already requested");
            if (l.Busy) throw new IOException($"simulated GPIO line {pinNumber} is busy (requested by another consumer)");
            l.Open = true;
        }
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            var l = Get(pinNumber);
            l.Open = false;
            l.Callbacks.Clear();
        }
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate) Get(pinNumber).Mode = mode;
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        lock (_gate)
        {
            var l = Get(pinNumber);
            l.Mode = mode;
            if (mode == PinMode.Output) Set(pinNumber, l, initialValue);
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate) return Get(pinNumber).Mode;
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber)
    {
        lock (_gate) return RequireOpen(pinNumber).Value;
    }

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            var l = RequireOpen(pinNumber);
            if (l.Mode != PinMode.Output)
                throw new InvalidOperationException($"simulated GPIO line {pinNumber} is an input; it cannot be written");
            Set(pinNumber, l, value);
        }
    }

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<PinEventTypes>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object sender, PinValueChangedEventArgs e) => tcs.TrySetResult(e.ChangeType);
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, Handler);
        try
        {
            using var reg = cancellationToken.Register(() => tcs.TrySetCanceled());
            var t = tcs.Task;
            ((IAsyncResult)t).AsyncWaitHandle.WaitOne();
            return t.IsCompletedSuccessfully
                ? new WaitForEventResult { EventTypes = t.Result, TimedOut = false }
                : new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, Handler);
        }
    }

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate) RequireOpen(pinNumber).Callbacks.Add((eventTypes, callback));
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate) Get(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
    }

    private void Set(int pin, Line l, PinValue value)
    {
        if (l.Value == value && l.EverWritten) return;
        l.Value = value;
        l.EverWritten = true;
        if (_timeline.Count == TimelineCapacity) _timeline.Dequeue();
        _timeline.Enqueue(new GpioLineChange(_time.GetUtcNow(), pin, value));
    }

    private Line Get(int pin)
    {
        if ((uint)pin >= (uint)_lines.Length)
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"simulated GPIO chip has lines 0..{_lines.Length - 1}");
        return _lines[pin];
    }

    private Line RequireOpen(int pin)
    {
        var l = Get(pin);
        if (!l.Open) throw new InvalidOperationException($"simulated GPIO line {pin} is not requested");
        return l;
    }

    private sealed class Line
    {
        public bool Open;
        public bool EverWritten;
        public bool Busy;
        public PinMode Mode = PinMode.Input;
        public PinValue Value = PinValue.Low;
        public readonly List<(PinEventTypes Types, PinChangeEventHandler Handler)> Callbacks = [];
    }
}
