using ProtoBuf;

namespace EdgeNode.Link.Contracts;

[ProtoContract]
public sealed class KeyValue
{
    public KeyValue() { }

    public KeyValue(string key, string value) { Key = key; Value = value; }

    [ProtoMember(1)] public string Key { get; set; } = "";
    [ProtoMember(2)] public string Value { get; set; } = "";
}
