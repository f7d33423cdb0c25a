using System.Reflection;
using Google.Protobuf.Reflection;
using ProtoBuf;
using static EdgeNode.Link.Tests.Contracts.ContractModel;

namespace EdgeNode.Link.Tests.Contracts;

/// <summary>
/// link/edgenode.proto must describe exactly the C# contracts in link/Contracts: same messages, field numbers, names
/// (snake_case of the property), types, repeated/packed, and enum values (UPPER_SNAKE with the enum's prefix).
/// </summary>
public sealed class ProtoSchemaTests
{
    private static readonly Lazy<FileDescriptorProto> Proto = new(Load);

    public static TheoryData<string> MessageNames => new(Messages.Select(t => t.Name));

    public static TheoryData<string> EnumNames => new(Enums.Select(t => t.Name));

    [Fact]
    public void Proto_Parses_WithoutErrorsAsProto3()
    {
        Assert.Equal("proto3", Proto.Value.Syntax);
        Assert.Equal("edgenode.link.v1", Proto.Value.Package);
    }

    [Fact]
    public void Proto_MessageSet_EqualsContractClasses()
    {
        Assert.Equal(Messages.Select(t => t.Name).Order(StringComparer.Ordinal), Proto.Value.MessageTypes.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Proto_EnumSet_EqualsContractEnums()
    {
        Assert.Equal(Enums.Select(t => t.Name).Order(StringComparer.Ordinal), Proto.Value.EnumTypes.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EnumNames))]
    public void Proto_EnumValues_MatchContractEnum(string name)
    {
        var type = Enums.Single(t => t.Name == name);
        var proto = Proto.Value.EnumTypes.Single(e => e.Name == name);
        string prefix = Snake(name).ToUpperInvariant() + "_";

        var expected = Enum.GetNames(type).Select(n => (prefix + Snake(n).ToUpperInvariant(), Convert.ToInt32(Enum.Parse(type, n), System.Globalization.CultureInfo.InvariantCulture)));
        var actual = proto.Values.Select(v => (v.Name, v.Number));

        Assert.Equal(expected.OrderBy(v => v.Item2), actual.OrderBy(v => v.Number));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Proto_MessageFields_MatchProtoMembers(string name)
    {
        var type = Messages.Single(t => t.Name == name);
        var proto = Proto.Value.MessageTypes.Single(m => m.Name == name);
        var members = Members(type).ToList();

        Assert.Equal(members.Select(m => m.Member.Tag).Order(), proto.Fields.Select(f => f.Number).Order());
        foreach (var (property, member) in members)
        {
            var field = proto.Fields.Single(f => f.Number == member.Tag);
            string where = $"{name}.{property.Name} (field {member.Tag})";
            Assert.True(Snake(property.Name) == field.Name, $"{where}: .proto names it '{field.Name}', expected '{Snake(property.Name)}'");

            var element = ElementType(property.PropertyType);
            bool repeated = element is not null;
            Assert.True(repeated == (field.label == FieldDescriptorProto.Label.LabelRepeated), $"{where}: repeated in C# = {repeated}, in .proto = {field.label}");

            var (expectedType, expectedTypeName) = ProtoTypeOf(element ?? property.PropertyType, member.DataFormat);
            Assert.True(expectedType == field.type, $"{where}: .proto type {field.type}, C# maps to {expectedType}");
            if (expectedTypeName is not null)
            {
                Assert.Equal($".edgenode.link.v1.{expectedTypeName}", field.TypeName);
            }

            if (repeated && IsPackable(field.type))
            {
                // proto3 packs repeated scalars unless told otherwise; protobuf-net needs IsPacked to match.
                bool protoPacked = field.Options?.ShouldSerializePacked() == true ? field.Options.Packed : true;
                Assert.True(protoPacked == member.IsPacked, $"{where}: packed in .proto = {protoPacked}, IsPacked in C# = {member.IsPacked}");
            }
        }
    }

    [Fact]
    public void Proto_HeartbeatAppStates_IsPackedOnBothSides()
    {
        var field = Proto.Value.MessageTypes.Single(m => m.Name == "Heartbeat").Fields.Single(f => f.Name == "app_states");
        var member = typeof(EdgeNode.Link.Contracts.Heartbeat).GetProperty("AppStates")!.GetCustomAttribute<ProtoMemberAttribute>()!;

        Assert.True(field.Options.Packed);
        Assert.True(member.IsPacked);
    }

    internal static FileDescriptorProto Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Contracts", "edgenode.proto");
        var set = new FileDescriptorSet();
        using (var reader = File.OpenText(path))
        {
            set.Add("edgenode.proto", true, reader);
        }

        set.Process();
        var errors = set.GetErrors();
        Assert.True(errors.Length == 0, "edgenode.proto: " + string.Join("; ", errors.Select(e => e.ToString())));
        return set.Files.Single(f => f.Name == "edgenode.proto");
    }

    internal static (FieldDescriptorProto.Type Type, string? TypeName) ProtoTypeOf(Type type, DataFormat format) => type switch
    {
        _ when type == typeof(string) => (FieldDescriptorProto.Type.TypeString, null),
        _ when type == typeof(byte[]) => (FieldDescriptorProto.Type.TypeBytes, null),
        _ when type == typeof(bool) => (FieldDescriptorProto.Type.TypeBool, null),
        _ when type == typeof(uint) => (format == DataFormat.FixedSize ? FieldDescriptorProto.Type.TypeFixed32 : FieldDescriptorProto.Type.TypeUint32, null),
        _ when type == typeof(ulong) => (format == DataFormat.FixedSize ? FieldDescriptorProto.Type.TypeFixed64 : FieldDescriptorProto.Type.TypeUint64, null),
        _ when type == typeof(int) => (format switch { DataFormat.ZigZag => FieldDescriptorProto.Type.TypeSint32, DataFormat.FixedSize => FieldDescriptorProto.Type.TypeSfixed32, _ => FieldDescriptorProto.Type.TypeInt32 }, null),
        _ when type == typeof(long) => (format switch { DataFormat.ZigZag => FieldDescriptorProto.Type.TypeSint64, DataFormat.FixedSize => FieldDescriptorProto.Type.TypeSfixed64, _ => FieldDescriptorProto.Type.TypeInt64 }, null),
        _ when type == typeof(float) => (FieldDescriptorProto.Type.TypeFloat, null),
        _ when type == typeof(double) => (FieldDescriptorProto.Type.TypeDouble, null),
        _ when type.IsEnum => (FieldDescriptorProto.Type.TypeEnum, type.Name),
        _ when type.GetCustomAttribute<ProtoContractAttribute>() is not null => (FieldDescriptorProto.Type.TypeMessage, type.Name),
        _ => throw new NotSupportedException($"no protobuf mapping for {type}"),
    };

    private static bool IsPackable(FieldDescriptorProto.Type type) =>
        type is not (FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes or FieldDescriptorProto.Type.TypeMessage or FieldDescriptorProto.Type.TypeGroup);
}
