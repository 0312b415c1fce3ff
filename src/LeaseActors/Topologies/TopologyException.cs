namespace LeaseActors.Topologies;

/// <summary>
/// A topology file that cannot be used: a HOCON syntax error, an unknown key, a name used but never defined, a value
/// that cannot be read. <see cref="Exception.Message"/> is one line naming the file, the HOCON path inside it and what
/// was expected, e.g. <c>seed.conf: processes.A.program[2].fds: fd `h` is not defined in process A; …</c>.
/// </summary>
/// <remarks>
/// This is bad input, not a bug: show <see cref="Exception.Message"/> to whoever wrote the file. <see cref="ToString"/>
/// returns the same line, so a log or a console never shows a stack trace for it. Every other exception type that
/// escapes <see cref="TopologyParser"/> is a bug in the parser.
/// </remarks>
public sealed class TopologyException : Exception
{
    /// <summary>Creates the error for <paramref name="file"/> at HOCON path <paramref name="path"/>.</summary>
    /// <param name="file">The file (or source label such as <c>(built-in)</c>) the topology came from.</param>
    /// <param name="path">The HOCON path of the offending value (<c>processes.A.program[2].fds</c>); empty for the whole file.</param>
    /// <param name="problem">One line: what was found and what was expected.</param>
    public TopologyException(string file, string path, string problem)
        : base(Format(OneLine(file), OneLine(path), OneLine(problem)))
    {
        File = OneLine(file);
        Path = OneLine(path);
        Problem = OneLine(problem);
    }

    /// <summary>The file (or source label) the topology came from.</summary>
    public string File { get; }

    /// <summary>The HOCON path of the offending value, e.g. <c>processes.A.program[2].fds</c>; empty when the problem concerns the whole file (a syntax error, whose line and column are in <see cref="Problem"/>).</summary>
    public string Path { get; }

    /// <summary>The problem alone, without file and path: what was found and what was expected.</summary>
    public string Problem { get; }

    /// <summary>The one-line message (no stack trace: this is bad input, not a bug).</summary>
    public override string ToString() => Message;

    /// <summary>Escapes line breaks and other control characters (a key or value from the file may hold them), so the message stays one line.</summary>
    private static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!text.Any(NeedsEscape)) return text;
        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c)) sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static string Format(string file, string path, string problem) =>
        string.IsNullOrEmpty(path) ? $"{file}: {problem}" : $"{file}: {path}: {problem}";
}
