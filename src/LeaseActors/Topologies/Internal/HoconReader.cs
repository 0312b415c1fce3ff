using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace LeaseActors.Topologies.Internal;

/// <summary>
/// Parses text with Akka.NET's own HOCON (<see cref="ConfigurationFactory.ParseString(string)"/>) and copies the
/// result into <see cref="HoconNode"/>s. Every failure, Akka's included, comes out as a one-line
/// <see cref="TopologyException"/>.
/// </summary>
internal static partial class HoconReader
{
    /// <summary>Parses <paramref name="text"/> from <paramref name="file"/> into a tree of nodes.</summary>
    public static HoconNode Read(string text, string file)
    {
        HoconSyntax.Check(text, file);
        Config config;
        HoconValue root;
        try
        {
            config = ConfigurationFactory.ParseString(text);
            root = config.Root;
        }
#pragma warning disable CA1031 // Akka's parser throws FormatException, ConfigurationException and NullReferenceException on bad input; all are bad input here.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw FromAkka(e, text, file);
        }
        var visiting = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        return Copy(root, "", 0, file, visiting);
    }

    private static HoconNode Copy(HoconValue? value, string path, int depth, string file, HashSet<HoconValue> visiting)
    {
        if (value is null) return HoconNode.Missing(path);
        if (depth > HoconSyntax.MaxDepth) throw new TopologyException(file, path, $"nesting deeper than {HoconSyntax.MaxDepth} levels");
        if (!visiting.Add(value)) throw new TopologyException(file, path, "the value refers to itself");
        try
        {
            if (value.IsObject())
            {
                var obj = value.GetObject();
                var fields = ImmutableArray.CreateBuilder<KeyValuePair<string, HoconNode>>();
                foreach (var (key, child) in obj.Items)
                    fields.Add(new(key, Copy(child, HoconNode.Child(path, key), depth + 1, file, visiting)));
                string? hocon;
                try
                {
                    hocon = value.ToString();
                }
#pragma warning disable CA1031 // rendering is best effort; the structure was read already.
                catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
                {
                    hocon = null;
                }
                return HoconNode.Object(path, fields.ToImmutable(), hocon);
            }
            if (IsList(value))
            {
                // Akka 1.5 reads `[]` as a value whose IsArray() is false, and `[ ]` as a list of one empty value: take
                // the arrays' items directly and skip the empty ones (a list item can only be empty that way).
                var items = ImmutableArray.CreateBuilder<HoconNode>();
                foreach (var array in value.Values.OfType<HoconArray>())
                {
                    foreach (var item in array)
                    {
                        if (item is null || item.Values.Count == 0) continue;
                        items.Add(Copy(item, path + "[" + items.Count.ToString(CultureInfo.InvariantCulture) + "]", depth + 1, file, visiting));
                    }
                }
                return HoconNode.List(path, items.ToImmutable());
            }
            if (value.Values.Count == 0) return HoconNode.Missing(path);
            return HoconNode.Scalar(path, (value.GetString() ?? "").Trim());
        }
        catch (TopologyException)
        {
            throw;
        }
#pragma warning disable CA1031 // any failure of Akka's accessors on a parsed tree is a value it cannot read: bad input.
        catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            throw new TopologyException(file, path, $"Akka's HOCON cannot read this value ({FirstLine(e.Message)})");
        }
        finally
        {
            visiting.Remove(value);
        }
    }

    /// <summary>A list, or lists concatenated with blanks between them (<c>[a] [b]</c>).</summary>
    private static bool IsList(HoconValue value) =>
        value.Values.Any(v => v is HoconArray)
        && value.Values.All(v => v is HoconArray || (v is HoconLiteral literal && string.IsNullOrWhiteSpace(literal.Value)));

    /// <summary>Turns an exception of Akka's HOCON parser into a one-line error with a line and column where it has one.</summary>
    private static TopologyException FromAkka(Exception e, string text, string file)
    {
        var message = FirstLine(e.Message);
        var position = PositionPattern().Match(e.Message);
        if (position.Success && int.TryParse(position.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 0)
        {
            var (line, column) = HoconSyntax.Position(text, index);
            var found = index < text.Length ? HoconNode.Quote(text[index].ToString()) : "the end of the file";
            var problem = $"unexpected {found} (Akka's HOCON: {UnknownToken(message)})";
            var before = PreviousSignificant(text, index);
            if (index < text.Length && text[index] == ',' && before == '}')
                problem = "unexpected ',' after `key { … }`: Akka's HOCON only takes a comma after an object written `key = { … }`; add the '=' or start the next field on a new line";
            return HoconSyntax.Error(file, line, column, problem);
        }
        var problemText = e switch
        {
            NullReferenceException => "Akka's HOCON could not parse the file (an include or a statement it does not support)",
            _ when message.StartsWith("Unknown escape code", StringComparison.Ordinal) => $"bad escape in a quoted string ({message}); expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
            _ when message.StartsWith("Unresolved substitution", StringComparison.Ordinal) => "substitutions (${…}) are not supported in topology files",
            _ => $"Akka's HOCON could not parse the file: {message}",
        };
        return new TopologyException(file, "", problemText);
    }

    private static string UnknownToken(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? message[..colon] : message;
    }

    private static char PreviousSignificant(string text, int index)
    {
        for (var i = Math.Min(index, text.Length) - 1; i >= 0; i--)
            if (!char.IsWhiteSpace(text[i])) return text[i];
        return '\0';
    }

    /// <summary>The text of the file at <paramref name="path"/>; a file that cannot be read is a <see cref="TopologyException"/> naming it.</summary>
    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TopologyException(path, "", $"cannot read the file ({FirstLine(e.Message)})");
        }
    }

    /// <summary>The first non-empty line of <paramref name="message"/>, without control characters.</summary>
    public static string FirstLine(string? message)
    {
        var line = (message ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        line = new string([.. line.Select(c => char.IsControl(c) ? ' ' : c)]);
        return line.Length > 200 ? line[..197] + "..." : line;
    }

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex PositionPattern();
}
