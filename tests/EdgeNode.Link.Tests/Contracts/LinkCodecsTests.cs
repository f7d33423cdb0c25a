using System.Reflection;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;
using EdgeNode.Link.Contracts.Codec;
using static EdgeNode.Link.Tests.Contracts.ContractModel;

namespace EdgeNode.Link.Tests.Contracts;

/// <summary>
/// <see cref="LinkCodecs"/> (the agent's table-driven codec) against protobuf-net's source-generated
/// <see cref="LinkContracts"/> model (the hub's): the tables cover every [ProtoMember], both produce the same bytes,
/// each decodes the other's output, and malformed input is rejected with the field and offset named.
/// </summary>
public sealed class LinkCodecsTests
{
    public static TheoryData<string> MessageNames => new(Messages.Select(t => t.Name));

    [Fact]
    public void Codecs_ExistForEveryContractMessage()
    {
        Assert.Equal(21, Messages.Length);
        foreach (var type in Messages)
        {
            Assert.NotNull(Codec(type));
        }
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Codec_Fields_MatchProtoMembersExactly(string name)
    {
        var type = Messages.Single(t => t.Name == name);
        var expected = Members(type).Select(m => $"{m.Member.Tag} {m.Property.Name}").ToArray();

        var actual = Fields(type).Select(f => $"{f.Number} {f.Member}").ToArray();

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Encode_FullyPopulated_SameBytesAsProtobufNet(string name)
    {
        var type = Messages.Single(t => t.Name == name);
        var original = Fill(type);

        byte[] ours = Encode(type, original);

        Assert.Equal(Convert.ToHexString(ContractRoundTripTests.Serialize(type, original)), Convert.ToHexString(ours));
        Assert.Equal(ours.Length, Measure(type, original));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Encode_Empty_SameBytesAsProtobufNet(string name)
    {
        var type = Messages.Single(t => t.Name == name);
        var empty = Activator.CreateInstance(type)!;

        Assert.Equal(Convert.ToHexString(ContractRoundTripTests.Serialize(type, empty)), Convert.ToHexString(Encode(type, empty)));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Decode_ProtobufNetBytes_And_ProtobufNetDecodesOurs(string name)
    {
        var type = Messages.Single(t => t.Name == name);
        var original = Fill(type);

        var fromProtobufNet = Decode(type, ContractRoundTripTests.Serialize(type, original));
        var throughProtobufNet = ContractRoundTripTests.Deserialize(type, Encode(type, original));

        Assert.Null(Difference(original, fromProtobufNet, name));
        Assert.Null(Difference(original, throughProtobufNet, name));
    }

    [Fact]
    public void Heartbeat_Typical_SameBytesAsProtobufNet()
    {
        var heartbeat = CoapWireBudget.TypicalHeartbeat();

        byte[] ours = LinkCodecs.Heartbeat.Encode(heartbeat);

        Assert.Equal(ContractRoundTripTests.Serialize(typeof(Heartbeat), heartbeat), ours);
        Assert.Null(Difference(heartbeat, LinkCodecs.Heartbeat.Decode(ours), "Heartbeat"));
    }

    [Fact]
    public void Encode_ExtremeValues_SameBytesAsProtobufNet_AndRoundTrip()
    {
        var report = new AppReport { Name = "", LastExitCode = int.MinValue, Restarts = uint.MaxValue, Phase = (AppPhase)(-3), LogTail = "Grüße 🙂" };
        var evt = new Event { Sequence = ulong.MaxValue, TimeUnixMs = long.MinValue, Kind = (EventKind)int.MaxValue };
        var heartbeat = new Heartbeat { TemperatureC = -1, AppStates = [0, 127, 128, uint.MaxValue], Degraded = ["", "x"] };

        Assert.Equal(ContractRoundTripTests.Serialize(typeof(AppReport), report), LinkCodecs.AppReport.Encode(report));
        Assert.Equal(ContractRoundTripTests.Serialize(typeof(Event), evt), LinkCodecs.Event.Encode(evt));
        Assert.Equal(ContractRoundTripTests.Serialize(typeof(Heartbeat), heartbeat), LinkCodecs.Heartbeat.Encode(heartbeat));
        Assert.Null(Difference(report, LinkCodecs.AppReport.Decode(LinkCodecs.AppReport.Encode(report)), "AppReport"));
        Assert.Null(Difference(evt, LinkCodecs.Event.Decode(LinkCodecs.Event.Encode(evt)), "Event"));
        Assert.Null(Difference(heartbeat, LinkCodecs.Heartbeat.Decode(LinkCodecs.Heartbeat.Encode(heartbeat)), "Heartbeat"));
    }

    [Fact]
    public void Decode_UnpackedAppStates_AcceptedLikePacked()
    {
        // 48 01 48 02 = field 9 as two varint fields (unpacked); 4A 02 01 02 = the same values packed.
        Assert.Equal([1u, 2u], LinkCodecs.Heartbeat.Decode(Convert.FromHexString("48014802")).AppStates);
        Assert.Equal([1u, 2u], LinkCodecs.Heartbeat.Decode(Convert.FromHexString("4A020102")).AppStates);
    }

    [Fact]
    public void Decode_UnknownFields_OfEveryWireTypeAreSkipped()
    {
        // field 1 = 5, then unknown 20 varint, 21 fixed64, 22 length-delimited, 23 fixed32, then field 2 = 7.
        byte[] payload = Convert.FromHexString("0805" + "A00105" + "A901" + "0102030405060708" + "B20103616263" + "BD01" + "01020304" + "1007");

        var heartbeat = LinkCodecs.Heartbeat.Decode(payload);

        Assert.Equal(5u, heartbeat.Sequence);
        Assert.Equal(7u, heartbeat.UptimeSeconds);
    }

    [Fact]
    public void Decode_NestedMessageTwice_Merges()
    {
        // EnrollRequest.capacity (3) twice: {memory_mb 1} then {cpu_millis 2}; protobuf merges repeated sub-messages.
        byte[] payload = Convert.FromHexString("1A020801" + "1A021002");

        var ours = LinkCodecs.EnrollRequest.Decode(payload);
        var reference = (EnrollRequest)ContractRoundTripTests.Deserialize(typeof(EnrollRequest), payload);

        Assert.Equal((1u, 2u), (ours.Capacity!.MemoryMb, ours.Capacity.CpuMillis));
        Assert.Null(Difference(reference, ours, "EnrollRequest"));
    }

    /// <summary>Heartbeat payloads that are not valid, each with the fragment the error must contain.</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        // key varint cut off after its continuation bit
        { "88", "truncated varint at byte 0" },
        // field 1 (uint32) with its value missing
        { "08", "Heartbeat.Sequence (field 1): truncated varint at byte 1" },
        // field 1 = 2^32: does not fit uint32
        { "088080808010", "out of range for uint32" },
        // field 8 (int32) = 2^32: neither 32-bit nor sign-extended
        { "408080808010", "out of range for int32" },
        // 11-byte varint
        { "08FFFFFFFFFFFFFFFFFFFF01", "longer than 64 bits" },
        // 10th byte carries more than bit 63
        { "08FFFFFFFFFFFFFFFFFF7F", "longer than 64 bits" },
        // field number 0
        { "0001", "invalid field number 0" },
        // start group (wire type 3) for field 1
        { "0B0C", "wire type 3" },
        // wire type 6 does not exist
        { "0E", "wire type 6" },
        // field 1 (uint32) sent as length-delimited
        { "0A0101", "Heartbeat.Sequence (field 1): wire type 2" },
        // field 10 (repeated string) sent as varint
        { "5001", "Heartbeat.Degraded (field 10): wire type 0" },
        // field 10 claims 5 bytes, 1 follows
        { "520561", "length 5 at byte 1 runs past the end" },
        // packed app states: last varint cut off
        { "4A0201FF", "Heartbeat.AppStates (field 9): truncated varint at byte 3" },
        // unknown field 21 (fixed64) with 3 of 8 bytes
        { "A901010203", "truncated fixed-size value" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_Malformed_ThrowsNamingFieldAndOffset(string hex, string fragment)
    {
        var e = Assert.Throws<ContractFormatException>(() => LinkCodecs.Heartbeat.Decode(Convert.FromHexString(hex)));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, hex.Length / 2);
    }

    [Fact]
    public void Decode_NestedMalformed_ReportsOffsetInWholePayload()
    {
        // DesiredState { generation 1, apps[0] { name: length 9 but 1 byte } }: the bad length is at byte 5 of the payload.
        var e = Assert.Throws<ContractFormatException>(() => LinkCodecs.DesiredState.Decode(Convert.FromHexString("0801" + "1203" + "0A0961")));

        Assert.Equal(5, e.Offset);
        Assert.Contains("AppSpec.Name (field 1)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Decode_EveryPrefix_AgreesWithProtobufNet(string name)
    {
        // Protobuf has no end marker: a prefix that ends on a field boundary is a valid (shorter) message; any other
        // prefix is malformed. Both codecs must agree on which is which, and on the value of the valid ones.
        var type = Messages.Single(t => t.Name == name);
        byte[] full = Encode(type, Fill(type));
        for (int length = 0; length <= full.Length; length++)
        {
            byte[] prefix = full[..length];
            object? reference = null;
            try
            {
                reference = ContractRoundTripTests.Deserialize(type, prefix);
            }
            catch (TargetInvocationException)
            {
            }

            if (reference is null)
            {
                Assert.Throws<ContractFormatException>(() => Decode(type, prefix));
            }
            else
            {
                Assert.Null(Difference(reference, Decode(type, prefix), $"{name}[..{length}]"));
            }
        }
    }

    [Fact]
    public void Decode_RandomMutations_ThrowOnlyContractFormatException_AndAcceptedOnesRoundTrip()
    {
        var random = new Random(20261123);
        var payloads = Messages.Where(t => Roots.Contains(t)).Select(t => (Type: t, Bytes: Encode(t, Fill(t)))).ToArray();
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 5000; i++)
        {
            var (type, original) = payloads[random.Next(payloads.Length)];
            byte[] mutated = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            object decoded;
            try
            {
                decoded = Decode(type, mutated);
            }
            catch (ContractFormatException)
            {
                rejected++;
                continue;
            }

            accepted++;
            var again = ContractRoundTripTests.Deserialize(type, Encode(type, decoded));
            Assert.Null(Difference(decoded, again, $"{type.Name} mutation {i}"));
        }

        Assert.True(accepted > 100 && rejected > 100, $"accepted {accepted}, rejected {rejected}");
    }

    [Fact]
    public void TryEncode_DestinationTooSmall_ReturnsFalseAndWritesNothing()
    {
        var heartbeat = CoapWireBudget.TypicalHeartbeat();
        int size = LinkCodecs.Heartbeat.Measure(heartbeat);
        byte[] buffer = new byte[size - 1];

        Assert.False(LinkCodecs.Heartbeat.TryEncode(heartbeat, buffer, out int written));
        Assert.Equal(0, written);
        Assert.All(buffer, b => Assert.Equal(0, b));

        buffer = new byte[size + 10];
        Assert.True(LinkCodecs.Heartbeat.TryEncode(heartbeat, buffer, out written));
        Assert.Equal(LinkCodecs.Heartbeat.Encode(heartbeat), buffer[..written]);
    }

    [Fact]
    public void TryEncode_TypicalHeartbeatIntoReusedBuffer_AllocatesNothing()
    {
        var heartbeat = CoapWireBudget.TypicalHeartbeat();
        heartbeat.Degraded.Add("capacity-short:web");
        byte[] buffer = new byte[256];
        Assert.True(LinkCodecs.Heartbeat.TryEncode(heartbeat, buffer, out _)); // warm-up (static initialisers)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            LinkCodecs.Heartbeat.TryEncode(heartbeat, buffer, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Merge_IntoUsedMessage_ScalarsOverwrittenListsAppended()
    {
        var into = new Heartbeat { Sequence = 1, CpuPermille = 999, AppStates = { 7 }, Degraded = { "old" } };
        var payload = LinkCodecs.Heartbeat.Encode(new Heartbeat { Sequence = 2, AppStates = { 8, 9 }, Degraded = { "new" } });

        LinkCodecs.Heartbeat.Merge(payload, into);

        Assert.Equal(2u, into.Sequence);
        Assert.Equal(999u, into.CpuPermille); // absent from the payload (0 is not written): kept
        Assert.Equal([7u, 8u, 9u], into.AppStates);
        Assert.Equal(["old", "new"], into.Degraded);
    }

    [Fact]
    public void Merge_TypicalHeartbeatIntoReusedMessage_AllocatesNothing()
    {
        var payload = LinkCodecs.Heartbeat.Encode(CoapWireBudget.TypicalHeartbeat());
        var into = new Heartbeat();
        LinkCodecs.Heartbeat.Merge(payload, into); // warm-up: list capacity, the fields' error descriptions

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            into.AppStates.Clear();
            LinkCodecs.Heartbeat.Merge(payload, into);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(payload, LinkCodecs.Heartbeat.Encode(into));
    }

    [Fact]
    public void Encode_NullListElement_ThrowsNamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => LinkCodecs.AppSpec.Encode(new AppSpec { Env = [null!] }));

        Assert.Contains("AppSpec.Env (field 5)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_NotAContract_Throws()
    {
        Assert.Throws<ArgumentException>(() => LinkCodecs.For<string>());
        Assert.Same(LinkCodecs.Heartbeat, LinkCodecs.For<Heartbeat>());
    }

    private static object Codec(Type type) =>
        typeof(LinkCodecs).GetMethod(nameof(LinkCodecs.For))!.MakeGenericMethod(type).Invoke(null, null)!;

    private static IEnumerable<(int Number, string Member)> Fields(Type type)
    {
        var codec = Codec(type);
        var fields = (System.Collections.IEnumerable)codec.GetType().GetProperty("Fields")!.GetValue(codec)!;
        foreach (var field in fields)
        {
            var t = field.GetType();
            yield return ((int)t.GetProperty("Number")!.GetValue(field)!, (string)t.GetProperty("Member")!.GetValue(field)!);
        }
    }

    private static byte[] Encode(Type type, object value) => (byte[])Invoke(type, "Encode", value);

    private static int Measure(Type type, object value) => (int)Invoke(type, "Measure", value);

    private static object Decode(Type type, byte[] payload)
    {
        var codec = Codec(type);
        var method = codec.GetType().GetMethod("Decode")!;
        // ReadOnlySpan<byte> cannot be boxed: go through a typed delegate.
        var decode = typeof(LinkCodecsTests).GetMethod(nameof(DecodeTyped), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        try
        {
            return decode.Invoke(null, [codec, payload])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static T DecodeTyped<T>(MessageCodec<T> codec, byte[] payload)
        where T : class =>
        codec.Decode(payload);

    private static object Invoke(Type type, string name, object value)
    {
        var codec = Codec(type);
        try
        {
            return codec.GetType().GetMethod(name)!.Invoke(codec, [value])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
