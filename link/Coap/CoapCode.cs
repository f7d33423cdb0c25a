namespace EdgeNode.Link.Coap;

/// <summary>
/// A CoAP code (RFC 7252 §3, §12.1): a 3-bit class and a 5-bit detail, written "c.dd" (e.g. "2.05").
/// <code>
///   0 1 2 3 4 5 6 7
///  +-+-+-+-+-+-+-+-+
///  |class|  detail |
///  +-+-+-+-+-+-+-+-+
/// </code>
/// Class 0 = request (detail = method) or Empty (0.00); 2 = success; 4 = client error; 5 = server error;
/// 1, 6 and 7 are reserved (a message carrying one is a message format error).
/// </summary>
public readonly struct CoapCode : IEquatable<CoapCode>
{
    private const int ClassShift = 5;
    private const byte DetailMask = 0b0001_1111;

    public CoapCode(byte value) => Value = value;

    public CoapCode(int @class, int detail)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(@class);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(@class, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(detail);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(detail, 31);
        Value = (byte)((@class << ClassShift) | detail);
    }

    /// <summary>The code byte as it appears on the wire.</summary>
    public byte Value { get; }

    public int Class => Value >> ClassShift;

    public int Detail => Value & DetailMask;

    public bool IsEmpty => Value == 0;

    public bool IsRequest => Class == 0 && Value != 0;

    public bool IsResponse => Class is 2 or 3 or 4 or 5;

    public bool IsSuccess => Class == 2;

    public static readonly CoapCode Empty = new(0, 0);
    public static readonly CoapCode Created = new(2, 1);
    public static readonly CoapCode Deleted = new(2, 2);
    public static readonly CoapCode Valid = new(2, 3);
    public static readonly CoapCode Changed = new(2, 4);
    public static readonly CoapCode Content = new(2, 5);
    public static readonly CoapCode Continue = new(2, 31);
    public static readonly CoapCode BadRequest = new(4, 0);
    public static readonly CoapCode Unauthorized = new(4, 1);
    public static readonly CoapCode BadOption = new(4, 2);
    public static readonly CoapCode Forbidden = new(4, 3);
    public static readonly CoapCode NotFound = new(4, 4);
    public static readonly CoapCode MethodNotAllowed = new(4, 5);
    public static readonly CoapCode NotAcceptable = new(4, 6);
    public static readonly CoapCode RequestEntityIncomplete = new(4, 8);
    public static readonly CoapCode PreconditionFailed = new(4, 12);
    public static readonly CoapCode RequestEntityTooLarge = new(4, 13);
    public static readonly CoapCode UnsupportedContentFormat = new(4, 15);
    public static readonly CoapCode InternalServerError = new(5, 0);
    public static readonly CoapCode NotImplemented = new(5, 1);
    public static readonly CoapCode BadGateway = new(5, 2);
    public static readonly CoapCode ServiceUnavailable = new(5, 3);
    public static readonly CoapCode GatewayTimeout = new(5, 4);
    public static readonly CoapCode ProxyingNotSupported = new(5, 5);

    public static CoapCode FromMethod(CoapMethod method) => new(0, (int)method);

    public bool Equals(CoapCode other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is CoapCode other && Equals(other);

    public override int GetHashCode() => Value;

    public static bool operator ==(CoapCode left, CoapCode right) => left.Value == right.Value;

    public static bool operator !=(CoapCode left, CoapCode right) => left.Value != right.Value;

    /// <summary>"c.dd", e.g. "2.05", "4.13".</summary>
    public override string ToString() => string.Create(4, Value, static (span, value) =>
    {
        span[0] = (char)('0' + (value >> ClassShift));
        span[1] = '.';
        int detail = value & DetailMask;
        span[2] = (char)('0' + detail / 10);
        span[3] = (char)('0' + detail % 10);
    });
}
