using System.Text;
using EdgeNode.Link.Dtls;
using Org.BouncyCastle.Tls;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>The client's plain-PSK key exchange (RFC 4279 §2).</summary>
public sealed class PlainPskKeyExchangeTests
{
    [Fact]
    public void Premaster_ThreeBytePsk_IsLengthZerosLengthPsk()
    {
        byte[] psk = [0xAA, 0xBB, 0xCC];
        byte[] expected =
        [
            0x00, 0x03, // other_secret length
            0x00, 0x00, 0x00, // other_secret: N zeros for plain PSK
            0x00, 0x03, // psk length
            0xAA, 0xBB, 0xCC, // psk
        ];
        Assert.Equal(expected, PlainPskKeyExchange.Premaster(psk));
    }

    [Fact]
    public void Premaster_300BytePsk_UsesTwoByteBigEndianLengths()
    {
        var psk = Enumerable.Range(0, 300).Select(i => (byte)(i + 1)).ToArray();
        var premaster = PlainPskKeyExchange.Premaster(psk);
        Assert.Equal(4 + 600, premaster.Length);
        Assert.Equal([0x01, 0x2C], premaster[..2]);
        Assert.All(premaster[2..302], b => Assert.Equal(0, b));
        Assert.Equal([0x01, 0x2C], premaster[302..304]);
        Assert.Equal(psk, premaster[304..]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Premaster_PskLengthOutOfRange_InternalError(int length)
    {
        var alert = Assert.Throws<TlsFatalAlert>(() => PlainPskKeyExchange.Premaster(new byte[length]));
        Assert.Equal(AlertDescription.internal_error, alert.AlertDescription);
    }

    [Fact]
    public void GenerateClientKeyExchange_WritesOpaque16Identity()
    {
        var identity = new RecordingIdentity("unit-7", [1, 2, 3, 4]);
        var exchange = new PlainPskKeyExchange(identity);
        var output = new MemoryStream();
        exchange.SkipServerKeyExchange();
        exchange.GenerateClientKeyExchange(output);
        Assert.Equal([0x00, 0x06, .. Encoding.UTF8.GetBytes("unit-7")], output.ToArray());
        Assert.True(identity.HintSkipped);
    }

    [Fact]
    public void ProcessServerKeyExchange_ReadsHintAndPassesItOn()
    {
        var identity = new RecordingIdentity("unit-7", [1, 2, 3, 4]);
        var exchange = new PlainPskKeyExchange(identity);
        var input = new MemoryStream([0x00, 0x03, (byte)'h', (byte)'u', (byte)'b']);
        exchange.ProcessServerKeyExchange(input);
        Assert.Equal(input.Length, input.Position);
        exchange.GenerateClientKeyExchange(new MemoryStream());
        Assert.Equal("hub"u8.ToArray(), identity.Hint);
        Assert.False(identity.HintSkipped);
    }

    [Fact]
    public void ProcessServerKeyExchange_TruncatedHint_Throws()
    {
        var exchange = new PlainPskKeyExchange(new RecordingIdentity("unit-7", [1]));
        // Claims a 5-byte hint, carries 2.
        Assert.ThrowsAny<IOException>(() => exchange.ProcessServerKeyExchange(new MemoryStream([0x00, 0x05, 1, 2])));
    }

    [Fact]
    public void ProcessServerCertificate_UnexpectedMessage()
    {
        var exchange = new PlainPskKeyExchange(new RecordingIdentity("unit-7", [1]));
        var alert = Assert.Throws<TlsFatalAlert>(() => exchange.ProcessServerCertificate(Certificate.EmptyChain));
        Assert.Equal(AlertDescription.unexpected_message, alert.AlertDescription);
    }

    [Fact]
    public void GeneratePreMasterSecret_BeforeClientKeyExchange_InternalError()
    {
        var exchange = new PlainPskKeyExchange(new RecordingIdentity("unit-7", [1]));
        var alert = Assert.Throws<TlsFatalAlert>(exchange.GeneratePreMasterSecret);
        Assert.Equal(AlertDescription.internal_error, alert.AlertDescription);
    }

    [Fact]
    public void Factory_PlainPsk_CreatesPlainPskExchange_OthersInternalError()
    {
        var factory = new PlainPskKeyExchangeFactory();
        var identity = new RecordingIdentity("unit-7", [1]);
        Assert.IsType<PlainPskKeyExchange>(factory.CreatePskKeyExchangeClient(KeyExchangeAlgorithm.PSK, identity, null!));
        Assert.Equal(AlertDescription.internal_error, Assert.Throws<TlsFatalAlert>(
            () => factory.CreatePskKeyExchangeClient(KeyExchangeAlgorithm.ECDHE_PSK, identity, null!)).AlertDescription);
        Assert.Equal(AlertDescription.internal_error, Assert.Throws<TlsFatalAlert>(
            () => factory.CreateDheKeyExchangeClient(KeyExchangeAlgorithm.DHE_RSA, null!)).AlertDescription);
    }

    private sealed class RecordingIdentity(string identity, byte[] psk) : TlsPskIdentity
    {
        public bool HintSkipped { get; private set; }

        public byte[]? Hint { get; private set; }

        public void SkipIdentityHint() => HintSkipped = true;

        public void NotifyIdentityHint(byte[] psk_identity_hint) => Hint = psk_identity_hint;

        public byte[] GetPskIdentity() => Encoding.UTF8.GetBytes(identity);

        public byte[] GetPsk() => (byte[])psk.Clone();
    }
}
