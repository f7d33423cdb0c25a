using System.Collections;
using System.Reflection;
using System.Text;
using EdgeNode.Link.Contracts;
using ProtoBuf;

namespace EdgeNode.Link.Tests.Contracts;

/// <summary>Reflection over the C# wire contracts (test-only; the product uses the source-generated model).</summary>
internal static class ContractModel
{
    public static readonly Type[] Messages = typeof(Heartbeat).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(Heartbeat).Namespace && t.GetCustomAttribute<ProtoContractAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static readonly Type[] Enums = typeof(Heartbeat).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(Heartbeat).Namespace && t.IsEnum && t.IsPublic)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The top-level messages the generated <see cref="LinkContracts"/> model serializes.</summary>
    public static readonly Type[] Roots = typeof(LinkContracts).GetCustomAttributes()
        .Where(a => a.GetType().Name == "ProtoSerializableAttribute")
        .Select(a => (Type)a.GetType().GetProperties().First(p => p.PropertyType == typeof(Type)).GetValue(a)!)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static IEnumerable<(PropertyInfo Property, ProtoMemberAttribute Member)> Members(Type type) =>
        type.GetProperties()
            .Select(p => (p, p.GetCustomAttribute<ProtoMemberAttribute>()))
            .Where(x => x.Item2 is not null)
            .Select(x => (x.p, x.Item2!))
            .OrderBy(x => x.Item2.Tag);

    public static Type? ElementType(Type type) =>
        type == typeof(byte[]) ? null
        : type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
        : null;

    /// <summary>PascalCase → snake_case ("UptimeSeconds" → "uptime_seconds", "HostIp" → "host_ip").</summary>
    public static string Snake(string pascal)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }

    /// <summary>A fully populated instance: every field non-default, lists with two elements, nested messages filled.</summary>
    public static object Fill(Type type, int depth = 0)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var (property, member) in Members(type))
        {
            property.SetValue(instance, Value(property.PropertyType, member.Tag, depth, property.Name));
        }

        return instance;
    }

    private static object Value(Type type, int tag, int depth, string name)
    {
        if (ElementType(type) is { } element)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, tag, depth, name));
            list.Add(Value(element, tag + 100, depth, name));
            return list;
        }

        return type switch
        {
            _ when type == typeof(string) => $"{name}-{tag}-ü",
            _ when type == typeof(uint) => (uint)(tag * 1000 + 7),
            _ when type == typeof(int) => -(tag * 1000 + 7),
            _ when type == typeof(ulong) => (ulong)tag << 40,
            _ when type == typeof(long) => -((long)tag << 40),
            _ when type == typeof(bool) => true,
            _ when type == typeof(byte[]) => new byte[] { 1, 2, (byte)tag },
            _ when type.IsEnum => Enum.GetValues(type).Cast<object>().Last(),
            _ when type.GetCustomAttribute<ProtoContractAttribute>() is not null => Fill(type, depth + 1),
            _ => throw new NotSupportedException($"no filler for {type}"),
        };
    }

    /// <summary>Deep equality over [ProtoMember] properties; returns the path of the first difference, or null.</summary>
    public static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: one side is null";
        }

        var type = expected.GetType();
        if (type == typeof(byte[]))
        {
            return ((byte[])expected).SequenceEqual((byte[])actual) ? null : $"{path}: bytes differ";
        }

        if (expected is IList list)
        {
            var other = (IList)actual;
            if (list.Count != other.Count)
            {
                return $"{path}: {list.Count} vs {other.Count} elements";
            }

            for (int i = 0; i < list.Count; i++)
            {
                if (Difference(list[i], other[i], $"{path}[{i}]") is { } d)
                {
                    return d;
                }
            }

            return null;
        }

        if (type.GetCustomAttribute<ProtoContractAttribute>() is not null)
        {
            foreach (var (property, _) in Members(type))
            {
                if (Difference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } d)
                {
                    return d;
                }
            }

            return null;
        }

        return Equals(expected, actual) ? null : $"{path}: {expected} vs {actual}";
    }
}
