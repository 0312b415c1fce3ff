namespace LeaseActors.Topologies.Internal;

/// <summary>
/// A grammar check run before Akka's HOCON parser, which is the one that builds the values. Akka.NET 1.5's parser
/// accepts unclosed braces and strings without a word, loops allocating without end on some malformed input
/// (<c>key = value</c> directly inside a list, <c>a =: b</c>), overflows its stack on circular substitutions
/// (<c>a = ${a}</c>) and throws <see cref="NullReferenceException"/> on <c>include</c>. Only text that passes
/// this check reaches it, and every problem found here is a <see cref="TopologyException"/> with a line and column.
/// </summary>
/// <remarks>
/// The accepted language is the HOCON a topology needs: objects (<c>key = value</c>, <c>key : value</c>,
/// <c>key { … }</c>, dotted keys), lists, quoted and triple-quoted strings, unquoted text, comments, value
/// concatenation of text on one line (<c>10 m</c>). Not accepted: substitutions, <c>include</c>, <c>+=</c>, a key
/// without a value, a value on the line after its key, and concatenated objects or lists (<c>{…} {…}</c>, which
/// HOCON merges: two steps on one line without a comma would silently become one).
/// </remarks>
internal sealed class HoconSyntax
{
    /// <summary>Deepest nesting of <c>{</c> and <c>[</c> accepted (Akka's parser recurses once per level).</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private Token _next;
    private int _depth;

    private enum Kind { LeftBrace, RightBrace, LeftBracket, RightBracket, Comma, Separator, Newline, Quoted, Unquoted, End }

    private readonly record struct Token(Kind Kind, string Text, int Line, int Column, bool SpaceBefore);

    private HoconSyntax(string text, string file)
    {
        _text = text;
        _file = file;
        _next = Lex();
    }

    /// <summary>Throws a <see cref="TopologyException"/> for the first syntax problem in <paramref name="text"/>.</summary>
    public static void Check(string text, string file) => new HoconSyntax(text, file).Root();

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

    // ---- grammar ----

    private void Root()
    {
        SkipNewlines();
        if (_next.Kind == Kind.LeftBrace)
        {
            var open = Take();
            ObjectBody(open);
            SkipNewlines();
            if (_next.Kind != Kind.End) throw Unexpected(_next, "the end of the file after the root object's '}'");
            return;
        }
        ObjectBody(null);
    }

    /// <summary>Fields up to the '}' closing <paramref name="open"/>, or to the end of the file for the root.</summary>
    private void ObjectBody(Token? open)
    {
        Enter(open);
        while (true)
        {
            SkipNewlines();
            if (_next.Kind == Kind.RightBrace && open is not null) { Take(); break; }
            if (_next.Kind == Kind.End)
            {
                if (open is { } o) throw Error(o, "this '{' is never closed (expected '}' before the end of the file)");
                break;
            }
            if (_next.Kind is Kind.RightBrace or Kind.RightBracket)
            {
                throw open is { } o2
                    ? Error(_next, $"unexpected ']': expected '}}' to close the '{{' at line {o2.Line}, column {o2.Column}")
                    : Error(_next, $"unexpected {Show(_next)}: no '{(_next.Kind == Kind.RightBrace ? '{' : '[')}' is open here");
            }
            var bracedValue = Field();
            // After a field: a comma (one), a new line, or the end of the object.
            if (_next.Kind == Kind.Comma)
            {
                var comma = Take();
                if (bracedValue)
                    throw Error(comma, "unexpected ',' after `key { … }`: Akka's HOCON only takes a comma after an object written `key = { … }`; add the '=' or start the next field on a new line");
                SkipNewlines();
                if (_next.Kind == Kind.Comma) throw Unexpected(_next, "a field after ','");
            }
            else if (_next.Kind is not (Kind.Newline or Kind.End) && !(_next.Kind == Kind.RightBrace && open is not null))
            {
                throw _next.Kind == Kind.RightBracket && open is { } o
                    ? Error(_next, $"unexpected ']': expected '}}' to close the '{{' at line {o.Line}, column {o.Column}")
                    : Unexpected(_next, "',' or a new line between fields");
            }
        }
        _depth--;
    }

    /// <summary>One <c>key = value</c> or <c>key { … }</c>; true for the second form.</summary>
    private bool Field()
    {
        var key = _next;
        if (key.Kind is not (Kind.Unquoted or Kind.Quoted)) throw Unexpected(key, "a key");
        Take();
        while (_next.Kind is Kind.Unquoted or Kind.Quoted && !_next.SpaceBefore) Take(); // "a".b, a."b.c"
        if (_next.Kind == Kind.LeftBrace)
        {
            Value(inList: false);
            return true;
        }
        if (_next.Kind != Kind.Separator)
        {
            throw _next.Kind is Kind.Unquoted or Kind.Quoted
                ? Error(_next, $"expected '=', ':' or '{{' after the key {Show(key)}, got {Show(_next)} (a key is one word; quote it if it has spaces)")
                : Unexpected(_next, $"'=', ':' or '{{' after the key {Show(key)}");
        }
        Take();
        Value(inList: false);
        return false;
    }

    /// <summary>A value on the current line: scalars (concatenated), or objects, or lists.</summary>
    private void Value(bool inList)
    {
        var first = _next;
        switch (first.Kind)
        {
            // One object or one list: HOCON would merge `{…} {…}` (two steps on a line without a comma would
            // silently become one), so concatenating them is refused.
            case Kind.LeftBrace:
                ObjectBody(Take());
                break;
            case Kind.LeftBracket:
                ListBody(Take());
                break;
            case Kind.Quoted or Kind.Unquoted:
                while (_next.Kind is Kind.Quoted or Kind.Unquoted) Take();
                break;
            case Kind.Newline or Kind.End:
                throw Error(first, "expected a value on the same line, got " + (first.Kind == Kind.End ? "the end of the file" : "the end of the line"));
            default:
                throw Unexpected(first, "a value");
        }
        var after = _next;
        if (after.Kind is Kind.LeftBrace or Kind.LeftBracket or Kind.Quoted or Kind.Unquoted)
            throw Error(after, $"unexpected {Show(after)} after the value that starts at line {first.Line}, column {first.Column}; is a ',' or a new line missing? (objects, lists and text cannot be mixed in one value)");
        if (after.Kind == Kind.Separator)
        {
            throw Error(after, inList
                ? $"unexpected {Show(after)} in a list: a list holds values or {{ … }} objects, not `key = value` (is a ']' or a '{{' missing?)"
                : $"unexpected {Show(after)} after a value (a key is one word; is a new line or ',' missing?)");
        }
    }

    private void ListBody(Token open)
    {
        Enter(open);
        while (true)
        {
            SkipNewlines();
            if (_next.Kind == Kind.RightBracket) { Take(); break; }
            if (_next.Kind == Kind.End) throw Error(open, "this '[' is never closed (expected ']' before the end of the file)");
            Value(inList: true);
            if (_next.Kind == Kind.Comma)
            {
                Take();
                SkipNewlines();
                if (_next.Kind == Kind.Comma) throw Unexpected(_next, "a value after ','");
            }
            else if (_next.Kind is not (Kind.Newline or Kind.RightBracket))
            {
                throw _next.Kind switch
                {
                    Kind.End => Error(open, "this '[' is never closed (expected ']' before the end of the file)"),
                    Kind.RightBrace => Error(_next, $"unexpected '}}': expected ']' to close the '[' at line {open.Line}, column {open.Column}"),
                    _ => Unexpected(_next, "',', a new line or ']' after a list item"),
                };
            }
        }
        _depth--;
    }

    private void Enter(Token? open)
    {
        if (open is not { } o) return;
        if (++_depth > MaxDepth) throw Error(o, $"nesting deeper than {MaxDepth} levels of {{ and [");
    }

    private void SkipNewlines()
    {
        while (_next.Kind == Kind.Newline) Take();
    }

    private Token Take()
    {
        var token = _next;
        _next = Lex();
        return token;
    }

    // ---- tokens ----

    private Token Lex()
    {
        var space = false;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n') break;
            if (c is ' ' or '\t' or '\r' or '\uFEFF')
            {
                _pos++;
                space = true;
                continue;
            }
            if (c == '#' || (c == '/' && At("//")))
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
                continue;
            }
            break;
        }
        var line = _line;
        var column = _pos - _lineStart + 1;
        if (_pos >= _text.Length) return new Token(Kind.End, "", line, column, space);
        var ch = _text[_pos];
        switch (ch)
        {
            case '\n':
                _pos++;
                _line++;
                _lineStart = _pos;
                return new Token(Kind.Newline, "\n", line, column, space);
            case '{': _pos++; return new Token(Kind.LeftBrace, "{", line, column, space);
            case '}': _pos++; return new Token(Kind.RightBrace, "}", line, column, space);
            case '[': _pos++; return new Token(Kind.LeftBracket, "[", line, column, space);
            case ']': _pos++; return new Token(Kind.RightBracket, "]", line, column, space);
            case ',': _pos++; return new Token(Kind.Comma, ",", line, column, space);
            case '=' or ':': _pos++; return new Token(Kind.Separator, ch.ToString(), line, column, space);
            case '"':
                return At("\"\"\"") ? TripleQuoted(line, column, space) : Quoted(line, column, space);
            case '$':
                throw Error(line, column, "substitutions (${…}) are not supported in topology files (Akka's HOCON overflows its stack on circular ones); write the value out");
            case '+' when At("+="):
                throw Error(line, column, "'+=' is not supported by Akka's HOCON; write the whole list");
        }
        var start = _pos;
        while (_pos < _text.Length && IsUnquoted(_text[_pos]) && !At("//")) _pos++;
        if (_pos == start)
        {
            var bad = _text[_pos];
            throw Error(line, column, char.IsControl(bad) || char.IsSurrogate(bad)
                ? $"unexpected character U+{(int)bad:X4}"
                : $"unexpected character '{bad}': quote a value that contains it");
        }
        var word = _text[start.._pos];
        if (word == "include" && (_pos >= _text.Length || _text[_pos] is ' ' or '\t' or '"'))
            throw Error(line, column, "include is not supported in topology files; put everything in one file");
        return new Token(Kind.Unquoted, word, line, column, space);
    }

    private Token Quoted(int line, int column, bool space)
    {
        var start = _pos;
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length || _text[_pos] == '\n')
                throw Error(line, column, "this quoted string is not closed on its line (expected a closing \")");
            var c = _text[_pos];
            if (c == '"') break;
            if (c == '\\')
            {
                var escape = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
                if (escape == 'u')
                {
                    if (_pos + 6 > _text.Length || !_text.AsSpan(_pos + 2, 4).ToString().All(char.IsAsciiHexDigit))
                        throw Error(_line, _pos - _lineStart + 1, "expected four hex digits after \\u");
                    _pos += 6;
                    continue;
                }
                if (escape is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                    throw Error(_line, _pos - _lineStart + 1, "unknown escape in a quoted string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                _pos += 2;
                continue;
            }
            if (char.IsControl(c)) throw Error(_line, _pos - _lineStart + 1, $"unexpected character U+{(int)c:X4} in a quoted string (write it as \\u{(int)c:X4})");
            _pos++;
        }
        _pos++;
        return new Token(Kind.Quoted, _text[start.._pos], line, column, space);
    }

    private Token TripleQuoted(int line, int column, bool space)
    {
        var start = _pos;
        var end = _text.IndexOf("\"\"\"", _pos + 3, StringComparison.Ordinal);
        if (end < 0) throw Error(line, column, "this \"\"\" string is never closed (expected a closing \"\"\")");
        while (end + 3 < _text.Length && _text[end + 3] == '"') end++; // """a"""" ends with the last three quotes
        for (var i = _pos; i < end + 3; i++)
        {
            if (_text[i] != '\n') continue;
            _line++;
            _lineStart = i + 1;
        }
        _pos = end + 3;
        return new Token(Kind.Quoted, _text[start.._pos], line, column, space);
    }

    /// <summary>Characters of unquoted text: letters, digits and a few marks (what paths, names, durations and signal names need).</summary>
    private static bool IsUnquoted(char c) => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or '+' or '~' or '%';

    private bool At(string word) => string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0;

    private TopologyException Error(int line, int column, string problem) => Error(_file, line, column, problem);

    private TopologyException Error(Token at, string problem) => Error(_file, at.Line, at.Column, problem);

    private TopologyException Unexpected(Token at, string expected) =>
        Error(at, $"expected {expected}, got {Show(at)}");

    private static string Show(Token token) => token.Kind switch
    {
        Kind.End => "the end of the file",
        Kind.Newline => "the end of the line",
        Kind.Quoted or Kind.Unquoted => HoconNode.Quote(token.Text.Trim('"')),
        _ => $"'{token.Text}'",
    };
}
