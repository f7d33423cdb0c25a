using System.Reflection;
using EdgeNode.Link.Coap.Diagnostics;
using EdgeNode.Link.Contracts;
using Google.Protobuf.Reflection;
using ProtoBuf.Meta;
using static EdgeNode.Link.Tests.Contracts.ContractModel;

namespace EdgeNode.Link.Tests.Contracts;

/// <summary>
/// Every top-level message through the source-generated <see cref="LinkContracts"/> model: fully populated, serialized,
/// deserialized, deep-equal; and the bytes on the wire use exactly the field numbers and wire types of edgenode.proto.
/// </summary>
public sealed class ContractRoundTripTests
{
    public static TheoryData<string> RootNames => new(Roots.Select(t => t.Name));

    [Fact]
    public void Model_RegistersEveryTopLevelMessage()
    {
        Assert.Equal(
            ["CommandResult", "DesiredState", "EnrollRequest", "EnrollResponse", "ErrorBody", "EventAck", "EventBatch", "Heartbeat", "HeartbeatAck", "RegisterRequest", "RegisterResponse", "StatusReport"],
            Roots.Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(RootNames))]
    public void Model_FullyPopulatedMessage_RoundTripsAndMatchesProtoWireTypes(string name)
    {
        var type = Roots.Single(t => t.Name == name);
        var original = Fill(type);

        byte[] bytes = Serialize(type, original);
        var copy = Deserialize(type, bytes);

        Assert.Null(Difference(original, copy, name));
        CheckWire(bytes, name, ProtoSchemaTests.Load());
    }

    [Fact]
    public void Model_TypicalHeartbeat_IsSmall()
    {
        var heartbeat = CoapWireBudget.TypicalHeartbeat();

        byte[] bytes = Serialize(typeof(Heartbeat), heartbeat);
        var copy = (Heartbeat)Deserialize(typeof(Heartbeat), bytes);

        Assert.Null(Difference(heartbeat, copy, "Heartbeat"));
        Assert.InRange(bytes.Length, 20, 40);
    }

    internal static byte[] Serialize(Type type, object value)
    {
        using var stream = new MemoryStream();
        var method = typeof(TypeModel).GetMethods()
            .Single(m => m.Name == nameof(TypeModel.Serialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: var p0 }, _, _] && p0 == typeof(Stream));
        method.MakeGenericMethod(type).Invoke(LinkContracts.Instance, [stream, value, null]);
        return stream.ToArray();
    }

    internal static object Deserialize(Type type, byte[] bytes)
    {
        var method = typeof(TypeModel).GetMethods()
            .Single(m => m.Name == nameof(TypeModel.Deserialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: var p0 }, _, _] && p0 == typeof(ReadOnlyMemory<byte>));
        return method.MakeGenericMethod(type).Invoke(LinkContracts.Instance, [new ReadOnlyMemory<byte>(bytes), null, null])!;
    }

    /// <summary>Walks the top-level fields of <paramref name="bytes"/> and checks each against the .proto.</summary>
    private static void CheckWire(byte[] bytes, string message, FileDescriptorProto proto)
    {
        var descriptor = proto.MessageTypes.Single(m => m.Name == message);
        var seen = new HashSet<int>();
        int position = 0;
        while (position < bytes.Length)
        {
            ulong tag = ReadVarint(bytes, ref position);
            int number = (int)(tag >> 3);
            int wireType = (int)(tag & 7);
            var field = descriptor.Fields.SingleOrDefault(f => f.Number == number);
            Assert.True(field is not null, $"{message}: field {number} on the wire is not in edgenode.proto");
            bool packed = field.label == FieldDescriptorProto.Label.LabelRepeated && wireType == 2 && field.type is not (FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage);
            int expected = packed ? 2 : field.type switch
            {
                FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage => 2,
                FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64 or FieldDescriptorProto.Type.TypeDouble => 1,
                FieldDescriptorProto.Type.TypeFixed32 or FieldDescriptorProto.Type.TypeSfixed32 or FieldDescriptorProto.Type.TypeFloat => 5,
                _ => 0,
            };
            Assert.True(expected == wireType, $"{message}.{field.Name} ({number}): wire type {wireType}, .proto type {field.type} needs {expected}");
            seen.Add(number);
            switch (wireType)
            {
                case 0:
                    ReadVarint(bytes, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    int length = (int)ReadVarint(bytes, ref position);
                    position += length;
                    break;
            }
        }

        Assert.Equal(descriptor.Fields.Select(f => f.Number).Order(), seen.Order());
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
