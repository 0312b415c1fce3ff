namespace LeaseActors.Topologies.Internal;

/// <summary>
/// A lexical check run before Akka's HOCON parser. Akka.NET 1.5's parser accepts unclosed braces and strings without
/// a word, overflows its stack (an uncatchable crash) on circular substitutions such as <c>a = ${a}</c>, and throws a
/// <see cref="NullReferenceException"/> on <c>include</c>; this check turns each of those into a
/// <see cref="TopologyException"/> with a line and column first.
/// </summary>
internal static class HoconSyntax
{
    /// <summary>Deepest nesting of <c>{</c> and <c>[</c> accepted (Akka's parser recurses once per level).</summary>
    public const int MaxDepth = 64;

    /// <summary>Throws a <see cref="TopologyException"/> for the first lexical problem in <paramref name="text"/>.</summary>
    public static void Check(string text, string file)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        var line = 1;
        var column = 0;
        var keyStart = true; // at the start of a key: beginning, after a newline, '{' or ','
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                keyStart = true;
                continue;
            }
            if (c == '#' || (c == '/' && At(text, i, "//")))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                var (startLine, startColumn) = (line, column);
                if (At(text, i, "\"\"\""))
                {
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) throw Error(file, startLine, startColumn, "this \"\"\" string is never closed (expected a closing \"\"\")");
                    while (end + 3 < text.Length && text[end + 3] == '"') end++; // """a"""" ends with the last three quotes
                    for (var j = i + 1; j <= end + 2; j++)
                    {
                        if (text[j] == '\n') { line++; column = 0; }
                        else column++;
                    }
                    i = end + 2;
                }
                else
                {
                    i++;
                    column++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\n') throw Error(file, startLine, startColumn, "this quoted string is not closed on its line (expected a closing \")");
                        if (text[i] == '\\') { i++; column++; }
                        i++;
                        column++;
                    }
                    if (i >= text.Length) throw Error(file, startLine, startColumn, "this quoted string is never closed (expected a closing \")");
                }
                keyStart = false;
                continue;
            }
            switch (c)
            {
                case '{' or '[':
                    open.Push((c, line, column));
                    if (open.Count > MaxDepth) throw Error(file, line, column, $"nesting deeper than {MaxDepth} levels of {{ and [");
                    keyStart = c == '{';
                    continue;
                case '}' or ']':
                {
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0) throw Error(file, line, column, $"unexpected '{c}': no '{expected}' is open here");
                    var top = open.Pop();
                    if (top.Bracket != expected)
                        throw Error(file, line, column, $"unexpected '{c}': expected '{Closer(top.Bracket)}' to close the '{top.Bracket}' at line {top.Line}, column {top.Column}");
                    keyStart = false;
                    continue;
                }
                case '$' when i + 1 < text.Length && text[i + 1] == '{':
                    throw Error(file, line, column, "substitutions (${…}) are not supported in topology files (Akka's HOCON overflows its stack on circular ones); write the value out");
                case '+' when i + 1 < text.Length && text[i + 1] == '=':
                    throw Error(file, line, column, "'+=' is not supported by Akka's HOCON; write the whole list");
                case ',':
                    keyStart = true;
                    continue;
            }
            if (char.IsWhiteSpace(c)) continue;
            if (keyStart && At(text, i, "include") && (i + 7 >= text.Length || char.IsWhiteSpace(text[i + 7]) || text[i + 7] == '"'))
                throw Error(file, line, column, "include is not supported in topology files; put everything in one file");
            keyStart = false;
        }
        if (open.Count > 0)
        {
            var top = open.Pop();
            throw Error(file, top.Line, top.Column, $"this '{top.Bracket}' is never closed (expected '{Closer(top.Bracket)}' before the end of the file)");
        }
    }

    /// <summary>The line and column (1-based) of character <paramref name="index"/>.</summary>
    public static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return (line, column);
    }

    /// <summary>A syntax error at a line and column.</summary>
    public static TopologyException Error(string file, int line, int column, string problem) =>
        new(file, "", $"line {line}, column {column}: {problem}");

    private static char Closer(char bracket) => bracket == '{' ? '}' : ']';

    private static bool At(string text, int i, string word) => string.CompareOrdinal(text, i, word, 0, word.Length) == 0;
}
