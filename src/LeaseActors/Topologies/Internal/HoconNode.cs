using System.Collections.Immutable;
using System.Text;

namespace LeaseActors.Topologies.Internal;

/// <summary>What a <see cref="HoconNode"/> holds.</summary>
internal enum HoconNodeKind
{
    /// <summary><c>{ key = value, … }</c>.</summary>
    Object,
    /// <summary><c>[ value, … ]</c>.</summary>
    List,
    /// <summary>A string, number, boolean or null (HOCON keeps them all as text).</summary>
    Scalar,
    /// <summary>A key with no value after it (Akka's HOCON accepts <c>a b c</c> as a key with nothing).</summary>
    Missing,
}

/// <summary>
/// A HOCON value copied out of Akka's tree, with its path: the parser works on these only, so no Akka accessor can
/// throw (or recurse) in the middle of validation.
/// </summary>
internal sealed class HoconNode
{
    private HoconNode(string path, HoconNodeKind kind, ImmutableArray<KeyValuePair<string, HoconNode>> fields, ImmutableArray<HoconNode> items, string text, string? hocon)
    {
        Path = path;
        Kind = kind;
        Fields = fields;
        Items = items;
        Text = text;
        Hocon = hocon;
    }

    /// <summary>The HOCON path (<c>processes.A.program[2].fds</c>); empty for the root.</summary>
    public string Path { get; }

    /// <summary>What the node holds.</summary>
    public HoconNodeKind Kind { get; }

    /// <summary>An object's fields, in file order.</summary>
    public ImmutableArray<KeyValuePair<string, HoconNode>> Fields { get; }

    /// <summary>A list's items.</summary>
    public ImmutableArray<HoconNode> Items { get; }

    /// <summary>A scalar's text (trimmed; <c>null</c> reads as empty).</summary>
    public string Text { get; }

    /// <summary>An object's text as Akka renders it (kept for blocks passed on as HOCON, such as <c>chaos</c>).</summary>
    public string? Hocon { get; }

    /// <summary>An object node.</summary>
    public static HoconNode Object(string path, ImmutableArray<KeyValuePair<string, HoconNode>> fields, string? hocon) => new(path, HoconNodeKind.Object, fields, [], "", hocon);

    /// <summary>A list node.</summary>
    public static HoconNode List(string path, ImmutableArray<HoconNode> items) => new(path, HoconNodeKind.List, [], items, "", null);

    /// <summary>A scalar node.</summary>
    public static HoconNode Scalar(string path, string text) => new(path, HoconNodeKind.Scalar, [], [], text, null);

    /// <summary>A key without a value.</summary>
    public static HoconNode Missing(string path) => new(path, HoconNodeKind.Missing, [], [], "", null);

    /// <summary>The field <paramref name="key"/> of an object, or null.</summary>
    public HoconNode? Field(string key)
    {
        foreach (var field in Fields)
            if (field.Key == key) return field.Value;
        return null;
    }

    /// <summary>The path of a field of this object, quoting keys that HOCON would split or misread.</summary>
    public string ChildPath(string key) => Child(Path, key);

    /// <summary>The path <paramref name="parent"/>.<paramref name="key"/>.</summary>
    public static string Child(string parent, string key)
    {
        var needsQuotes = key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+'));
        var shown = needsQuotes ? "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : key;
        return parent.Length == 0 ? shown : parent + "." + shown;
    }

    /// <summary>What the node is, for "got …" in messages: <c>"45 parsecs"</c>, <c>an object</c>, <c>a list</c>, <c>nothing</c>.</summary>
    public string Describe() => Kind switch
    {
        HoconNodeKind.Object => "an object",
        HoconNodeKind.List => "a list",
        HoconNodeKind.Missing => "nothing",
        _ => Quote(Text),
    };

    /// <summary>Quotes a value for a one-line message: control characters escaped, long values shortened.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text.Length > 60 ? text[..57] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        if (text.Length > 60) sb.Append("...");
        return sb.Append('"').ToString();
    }
}
