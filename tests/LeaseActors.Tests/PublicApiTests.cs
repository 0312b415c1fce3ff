using System.Reflection;
using System.Text;

namespace LeaseActors.Tests;

/// <summary>
/// The public API of the libraries, compared with an approved list so that a change to it is deliberate: a
/// difference writes <c>*.received.txt</c> next to the approved file and fails; copy it over the approved file to
/// accept the change.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("LeaseActors")]
    [InlineData("LeaseActors.Simulation")]
    [InlineData("LeaseActors.Hosting")]
    [InlineData("LeaseActors.Testing")]
    public void The_public_api_is_the_approved_one(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var api = Describe(assembly);
        var dir = Path.Combine(Repo.Root, "tests", "LeaseActors.Tests", "Approvals");
        var approved = Path.Combine(dir, $"PublicApi.{assemblyName}.approved.txt");
        var received = Path.Combine(dir, $"PublicApi.{assemblyName}.received.txt");
        var expected = File.Exists(approved) ? File.ReadAllText(approved).ReplaceLineEndings("\n") : "";
        if (expected == api)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, api);
        Assert.Fail($"The public API of {assemblyName} changed; if that is deliberate, copy {received} over {approved}.");
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            lines.Add($"{Kind(type)} {Name(type)}");
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(Flags))
            {
                var text = member switch
                {
                    ConstructorInfo c => $"ctor({Parameters(c)})",
                    MethodInfo m when !m.IsSpecialName => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}{Generic(m)}({Parameters(m)})",
                    PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? " set;" : "")} }}",
                    FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
                    EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
                    _ => null,
                };
                if (text is not null) lines.Add($"{Name(type)}: {text}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var line in lines) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    private static string Kind(Type type) =>
        type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : "class";

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue is null ? "null" : Convert.ToString(p.DefaultValue, System.Globalization.CultureInfo.InvariantCulture)) : "")}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter) return type.Name;
        if (type.IsArray) return Name(type.GetElementType()!) + "[]";
        if (type.IsByRef) return "ref " + Name(type.GetElementType()!);
        var name = (type.DeclaringType is { } outer && !type.IsGenericParameter ? Name(outer) + "." : type.Namespace + ".") + type.Name;
        if (!type.IsGenericType) return name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick >= 0 ? name[..tick] : name) + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
