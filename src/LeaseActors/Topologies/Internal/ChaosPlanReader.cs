using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Chaos;

namespace LeaseActors.Topologies.Internal;

/// <summary>Reads a <c>chaos { delays, crashes, drops }</c> node into a <see cref="ChaosPlan"/> (docs/chaos.md), checking every key and value.</summary>
internal sealed class ChaosPlanReader(ValueReader values)
{
    private static readonly string[] PlanKeys = ["delays", "crashes", "drops"];
    private static readonly string[] DelayKeys = ["at", "distribution", "value", "min", "max", "mean", "mu", "sigma", "process", "signal", "step", "probability"];
    private static readonly string[] CrashKeys = ["process", "at", "probability"];
    private static readonly string[] DropKeys = ["process", "signal", "probability"];

    private static readonly Dictionary<string, ChaosPoint> Points = new(StringComparer.Ordinal)
    {
        ["signal-delivery"] = ChaosPoint.SignalDelivery,
        ["handler"] = ChaosPoint.Handler,
        ["socket"] = ChaosPoint.Socket,
        ["syscall"] = ChaosPoint.Syscall,
        ["dma"] = ChaosPoint.Dma,
    };

    /// <summary>Every process name the plan mentions, with the path that mentions it (checked against a topology by the caller).</summary>
    public List<(string Process, string Path)> Processes { get; } = [];

    public ChaosPlan Read(HoconNode node)
    {
        if (node.Kind != HoconNodeKind.Object) throw values.Error(node.Path, $"expected a chaos block {{ delays = [ … ], crashes = [ … ], drops = [ … ] }}, got {node.Describe()}");
        Keys(node, PlanKeys, "a chaos block");
        return new ChaosPlan
        {
            Delays = node.Field("delays") is { } d ? [.. values.List(d, "a list of delays [ { at = handler, distribution = fixed, value = 5ms } ]").Select(ReadDelay)] : [],
            Crashes = node.Field("crashes") is { } c ? [.. values.List(c, "a list of crashes [ { process = B, at = random } ]").Select(ReadCrash)] : [],
            Drops = node.Field("drops") is { } x ? [.. values.List(x, "a list of drops [ { signal = SIGIO, probability = 0.1 } ]").Select(ReadDrop)] : [],
        };
    }

    private DelayRule ReadDelay(HoconNode node)
    {
        Object(node, "a delay { at = handler, distribution = fixed, value = 5ms }");
        Keys(node, DelayKeys, "a delay");
        var atNode = node.Field("at") ?? throw values.Error(node.Path, $"a delay needs `at` ({string.Join(", ", Points.Keys)})");
        var at = values.Scalar(atNode, "a point");
        if (!Points.TryGetValue(at, out var point)) throw values.Error(atNode.Path, $"expected a point ({string.Join(", ", Points.Keys)}), got {atNode.Describe()}");
        var distribution = ReadDistribution(node);
        int? signal = node.Field("signal") is { } s ? values.Signal(s) : null;
        if (signal is not null && point is not (ChaosPoint.SignalDelivery or ChaosPoint.Handler))
            throw values.Error(node.Field("signal")!.Path, "`signal` selects signal deliveries and handlers; this delay is at " + at);
        string? step = null;
        if (node.Field("step") is { } st)
        {
            if (point != ChaosPoint.Syscall) throw values.Error(st.Path, "`step` selects syscalls (a label or a syscall name such as truncate); this delay is at " + at);
            step = values.Scalar(st, "a step label or syscall name");
        }
        return new DelayRule(point, distribution, Process(node), signal, step, Probability(node));
    }

    private Distribution ReadDistribution(HoconNode node)
    {
        var kindNode = node.Field("distribution") ?? throw values.Error(node.Path, "a delay needs `distribution` (fixed, uniform, exponential, log-normal)");
        var kind = values.Scalar(kindNode, "a distribution");
        TimeSpan Need(string key, string example) =>
            node.Field(key) is { } v ? values.Duration(v) : throw values.Error(node.Path, $"a {kind} distribution needs `{key}` ({example})");
        double Number(string key, string example)
        {
            var v = node.Field(key) ?? throw values.Error(node.Path, $"a {kind} distribution needs `{key}` ({example})");
            var text = values.Scalar(v, "a number");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
                throw values.Error(v.Path, $"expected a number, got {v.Describe()}");
            return x;
        }
        var allowed = kind switch
        {
            "fixed" => ["value"],
            "uniform" => ["min", "max"],
            "exponential" => ["mean"],
            "log-normal" => new[] { "mu", "sigma" },
            _ => throw values.Error(kindNode.Path, $"expected a distribution (fixed, uniform, exponential, log-normal), got {kindNode.Describe()}"),
        };
        foreach (var key in new[] { "value", "min", "max", "mean", "mu", "sigma" })
            if (node.Field(key) is { } extra && !allowed.Contains(key))
                throw values.Error(extra.Path, $"`{key}` is not a parameter of a {kind} distribution (its parameters: {string.Join(", ", allowed)})");
        switch (kind)
        {
            case "fixed":
                return new Distribution.Fixed(Need("value", "value = 5ms"));
            case "uniform":
            {
                var min = Need("min", "min = 0ms");
                var max = Need("max", "max = 50ms");
                if (max < min) throw values.Error(node.Field("max")!.Path, "expected max at least min");
                return new Distribution.Uniform(min, max);
            }
            case "exponential":
                return new Distribution.Exponential(Need("mean", "mean = 5ms"));
            default:
            {
                var sigma = Number("sigma", "sigma = 0.5");
                if (sigma < 0) throw values.Error(node.Field("sigma")!.Path, "expected sigma of 0 or more");
                return new Distribution.LogNormal(Number("mu", "mu = 1.6 (ln of milliseconds)"), sigma);
            }
        }
    }

    private CrashRule ReadCrash(HoconNode node)
    {
        Object(node, "a crash { process = B, at = random }");
        Keys(node, CrashKeys, "a crash");
        var process = Process(node);
        string? label = null;
        var random = false;
        if (node.Field("at") is { } at)
        {
            var text = values.Name(at, "a step label or random");
            if (text == "random") random = true;
            else label = text;
        }
        var probability = node.Field("probability") is not null ? Probability(node) : 0;
        if (label is null && !random && probability <= 0)
            throw values.Error(node.Path, "a crash needs `at = LABEL`, `at = random` or `probability = P`");
        return new CrashRule(process, label, random, probability);
    }

    private DropRule ReadDrop(HoconNode node)
    {
        Object(node, "a drop { signal = SIGIO, probability = 0.1 }");
        Keys(node, DropKeys, "a drop");
        if (node.Field("probability") is null) throw values.Error(node.Path, "a drop needs `probability` (probability = 0.1)");
        int? signal = node.Field("signal") is { } s ? values.Signal(s) : null;
        return new DropRule(Probability(node), Process(node), signal);
    }

    private string? Process(HoconNode node)
    {
        if (node.Field("process") is not { } p) return null;
        var name = values.Name(p, "a process name");
        Processes.Add((name, p.Path));
        return name;
    }

    private double Probability(HoconNode node)
    {
        if (node.Field("probability") is not { } p) return 1;
        var text = values.Scalar(p, "a probability between 0 and 1");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || x is < 0 or > 1 || double.IsNaN(x))
            throw values.Error(p.Path, $"expected a probability between 0 and 1, got {p.Describe()}");
        return x;
    }

    private void Object(HoconNode node, string example)
    {
        if (node.Kind != HoconNodeKind.Object) throw values.Error(node.Path, $"expected {example}, got {node.Describe()}");
    }

    private void Keys(HoconNode node, string[] allowed, string what)
    {
        foreach (var (key, child) in node.Fields)
            if (!allowed.Contains(key))
                throw values.Error(child.Path, $"unknown key `{key}` in {what}; expected {string.Join(", ", allowed)}");
    }
}
