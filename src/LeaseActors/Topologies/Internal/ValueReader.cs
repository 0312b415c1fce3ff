using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using LeaseActors.Signals;

namespace LeaseActors.Topologies.Internal;

/// <summary>
/// Reads scalar values of a topology (durations, sizes, integers, booleans, names, signals) from
/// <see cref="HoconNode"/>s; every bad value becomes a <see cref="TopologyException"/> at the node's path.
/// </summary>
internal sealed partial class ValueReader(string file)
{
    /// <summary>The file named in errors.</summary>
    public string File { get; } = file;

    /// <summary>An error at <paramref name="path"/>.</summary>
    public TopologyException Error(string path, string problem) => new(File, path, problem);

    /// <summary>The node's text if it is a non-empty scalar.</summary>
    public string Scalar(HoconNode node, string expected)
    {
        if (node.Kind != HoconNodeKind.Scalar || node.Text.Length == 0)
            throw Error(node.Path, $"expected {expected}, got {node.Describe()}");
        return node.Text;
    }

    /// <summary>A duration such as <c>45s</c>, <c>5ms</c>, <c>10m</c>, <c>1h</c>, <c>2.5s</c> (a bare <c>0</c> too).</summary>
    public TimeSpan Duration(HoconNode node)
    {
        const string Expected = "a duration such as 45s, 5ms, 10m, 1h or 2.5s";
        var text = Scalar(node, Expected);
        if (text.StartsWith('-')) throw Error(node.Path, $"expected a duration that is not negative, got {node.Describe()}");
        var m = DurationPattern().Match(text);
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw Error(node.Path, $"expected {Expected}, got {node.Describe()}");
        var unit = m.Groups[2].Value;
        long ticksPerUnit;
        if (unit.Length == 0)
        {
            if (number != 0) throw Error(node.Path, $"expected a unit after {m.Groups[1].Value} (ns, us, ms, s, m, h, d), got {node.Describe()}");
            ticksPerUnit = 1;
        }
        else if (!DurationUnits.TryGetValue(unit, out ticksPerUnit))
        {
            throw Error(node.Path, $"expected a duration unit (ns, us, ms, s, m, h, d), got {HoconNode.Quote(unit)} in {node.Describe()}");
        }
        decimal ticks;
        try
        {
            ticks = unit is "ns" or "nano" or "nanos" or "nanosecond" or "nanoseconds" ? number / 100m : number * ticksPerUnit;
        }
        catch (OverflowException)
        {
            throw Error(node.Path, $"expected a duration of at most {TimeSpan.MaxValue.TotalDays:F0} days, got {node.Describe()}");
        }
        if (ticks > TimeSpan.MaxValue.Ticks) throw Error(node.Path, $"expected a duration of at most {TimeSpan.MaxValue.TotalDays:F0} days, got {node.Describe()}");
        if (ticks != decimal.Truncate(ticks)) throw Error(node.Path, $"expected a duration in whole multiples of 100 ns, got {node.Describe()}");
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>A size in bytes such as <c>4096</c>, <c>1MiB</c>, <c>64K</c>, <c>1MB</c> (not negative).</summary>
    public long Size(HoconNode node)
    {
        const string Expected = "a size such as 4096, 64KiB or 1MiB";
        var text = Scalar(node, Expected);
        if (text.StartsWith('-')) throw Error(node.Path, $"expected a size that is not negative, got {node.Describe()}");
        var m = SizePattern().Match(text);
        if (!m.Success || !decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw Error(node.Path, $"expected {Expected}, got {node.Describe()}");
        if (!SizeUnits.TryGetValue(m.Groups[2].Value, out var unit))
            throw Error(node.Path, $"expected a size unit (B, KiB, MiB, GiB, TiB, K, M, G, T, kB, MB, GB, TB), got {HoconNode.Quote(m.Groups[2].Value)} in {node.Describe()}");
        decimal bytes;
        try
        {
            bytes = number * unit;
        }
        catch (OverflowException)
        {
            throw Error(node.Path, $"expected a size below 8 EiB, got {node.Describe()}");
        }
        if (bytes > long.MaxValue) throw Error(node.Path, $"expected a size below 8 EiB, got {node.Describe()}");
        if (bytes != decimal.Truncate(bytes)) throw Error(node.Path, $"expected a whole number of bytes, got {node.Describe()}");
        return (long)bytes;
    }

    /// <summary>A 32-bit integer between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int Int(HoconNode node, string what, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Scalar(node, what);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Error(node.Path, $"expected {what}, got {node.Describe()}");
        return (int)value;
    }

    /// <summary>A 64-bit integer.</summary>
    public long Long(HoconNode node, string what)
    {
        var text = Scalar(node, what);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Error(node.Path, $"expected {what}, got {node.Describe()}");
        return value;
    }

    /// <summary>A boolean: <c>true</c>/<c>false</c> (HOCON's <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> too).</summary>
    public bool Bool(HoconNode node)
    {
        var text = Scalar(node, "true or false");
        return text.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw Error(node.Path, $"expected true or false, got {node.Describe()}"),
        };
    }

    /// <summary>A name: a letter or '_', then letters, digits, '_' or '-' (at most 64 characters).</summary>
    public string Name(HoconNode node, string what)
    {
        var text = Scalar(node, what);
        if (!IsName(text)) throw Error(node.Path, $"expected {what} (a letter or '_', then letters, digits, '_' or '-'), got {node.Describe()}");
        return text;
    }

    /// <summary>Whether <paramref name="text"/> is a valid name.</summary>
    public static bool IsName(string text) => text.Length <= 64 && NamePattern().IsMatch(text);

    /// <summary>A signal by name (<c>SIGIO</c>, <c>IO</c>, <c>SIGRTMIN+1</c>) or number 1–64.</summary>
    public int Signal(HoconNode node)
    {
        var text = Scalar(node, "a signal name such as SIGIO or SIGRTMIN+1");
        return ParseSignal(text) ?? throw Error(node.Path, $"expected a signal name such as SIGIO, SIGUSR1 or SIGRTMIN+1 (or a number 1-64), got {node.Describe()}");
    }

    /// <summary>Parses a signal name or number; null when it is neither.</summary>
    public static int? ParseSignal(string text) => text.Length is > 0 and <= 16 ? Sig.Parse(text) : null;

    /// <summary>A list of signals.</summary>
    public ImmutableArray<int> Signals(HoconNode node)
    {
        var items = List(node, "a list of signals such as [SIGIO, SIGUSR1]");
        var result = ImmutableArray.CreateBuilder<int>();
        foreach (var item in items)
        {
            var signo = Signal(item);
            if (result.Contains(signo)) throw Error(item.Path, $"{Sig.Name(signo)} is listed twice");
            result.Add(signo);
        }
        return result.ToImmutable();
    }

    /// <summary>The items of a list (a single scalar is not accepted in its place).</summary>
    public ImmutableArray<HoconNode> List(HoconNode node, string expected)
    {
        if (node.Kind != HoconNodeKind.List) throw Error(node.Path, $"expected {expected}, got {node.Describe()}");
        return node.Items;
    }

    /// <summary>A list of names.</summary>
    public ImmutableArray<string> Names(HoconNode node, string expected, string what)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var item in List(node, expected)) result.Add(Name(item, what));
        return result.ToImmutable();
    }

    private static readonly Dictionary<string, long> DurationUnits = new(StringComparer.Ordinal)
    {
        ["ns"] = 0, ["nano"] = 0, ["nanos"] = 0, ["nanosecond"] = 0, ["nanoseconds"] = 0,
        ["us"] = 10, ["µs"] = 10, ["micro"] = 10, ["micros"] = 10, ["microsecond"] = 10, ["microseconds"] = 10,
        ["ms"] = TimeSpan.TicksPerMillisecond, ["milli"] = TimeSpan.TicksPerMillisecond, ["millis"] = TimeSpan.TicksPerMillisecond,
        ["millisecond"] = TimeSpan.TicksPerMillisecond, ["milliseconds"] = TimeSpan.TicksPerMillisecond,
        ["s"] = TimeSpan.TicksPerSecond, ["second"] = TimeSpan.TicksPerSecond, ["seconds"] = TimeSpan.TicksPerSecond,
        ["m"] = TimeSpan.TicksPerMinute, ["min"] = TimeSpan.TicksPerMinute, ["mins"] = TimeSpan.TicksPerMinute,
        ["minute"] = TimeSpan.TicksPerMinute, ["minutes"] = TimeSpan.TicksPerMinute,
        ["h"] = TimeSpan.TicksPerHour, ["hour"] = TimeSpan.TicksPerHour, ["hours"] = TimeSpan.TicksPerHour,
        ["d"] = TimeSpan.TicksPerDay, ["day"] = TimeSpan.TicksPerDay, ["days"] = TimeSpan.TicksPerDay,
    };

    // HOCON's size units: one letter and the binary (Ki, KiB) forms are powers of 2, kB/MB/GB/TB powers of 10.
    private static readonly Dictionary<string, decimal> SizeUnits = new(StringComparer.Ordinal)
    {
        [""] = 1, ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1,
        ["K"] = 1L << 10, ["k"] = 1L << 10, ["Ki"] = 1L << 10, ["KiB"] = 1L << 10, ["kB"] = 1000, ["KB"] = 1000,
        ["M"] = 1L << 20, ["m"] = 1L << 20, ["Mi"] = 1L << 20, ["MiB"] = 1L << 20, ["MB"] = 1_000_000,
        ["G"] = 1L << 30, ["g"] = 1L << 30, ["Gi"] = 1L << 30, ["GiB"] = 1L << 30, ["GB"] = 1_000_000_000,
        ["T"] = 1L << 40, ["t"] = 1L << 40, ["Ti"] = 1L << 40, ["TiB"] = 1L << 40, ["TB"] = 1_000_000_000_000,
    };

    [GeneratedRegex(@"^([0-9]{1,18}(?:\.[0-9]{1,9})?)\s*([a-zµ]*)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^([0-9]{1,19}(?:\.[0-9]{1,9})?)\s*([A-Za-z]*)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
