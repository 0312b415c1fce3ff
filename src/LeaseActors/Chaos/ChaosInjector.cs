using LeaseActors.Simulation;
using LeaseActors.Tracing;

namespace LeaseActors.Chaos;

/// <summary>
/// The faults of one owner (a process or a socket) of a run: asked at each occasion of a point, it answers with a
/// delay, a crash or a drop — sampled from the owner's own stream of the run's seed, or taken from a script — and
/// records every fault it injects as a <c>fault</c> trace event. Owned by one actor; not thread-safe.
/// </summary>
internal sealed class ChaosInjector
{
    private readonly ChaosSettings? _settings;
    private readonly string _owner;
    private readonly KernelTrace _trace;
    private readonly DeterministicRandom? _random;
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private int? _randomCrashStep;

    public ChaosInjector(ChaosSettings? settings, string owner, KernelTrace trace)
    {
        _settings = settings is { IsInert: false } ? settings : null;
        _owner = owner;
        _trace = trace;
        if (_settings is { Script: null }) _random = new DeterministicRandom(DeterministicRandom.Derive(_settings.Seed, "chaos/" + owner));
    }

    /// <summary>The injector of a run that injects nothing: it holds no state, so every owner of such a run shares it.</summary>
    private static readonly ChaosInjector Inert = new(null, "", new KernelTrace(null));

    /// <summary>
    /// The injector for <paramref name="owner"/>: a new one if <paramref name="settings"/> inject anything, else the shared
    /// inert one (an idle process of a fault-free run then keeps no injector of its own).
    /// </summary>
    public static ChaosInjector For(ChaosSettings? settings, string owner, KernelTrace trace) =>
        settings is { IsInert: false } ? new ChaosInjector(settings, owner, trace) : Inert;

    /// <summary>False when the run injects nothing (then every answer is "no fault" and nothing is counted).</summary>
    public bool Active => _settings is not null;

    private static string Name(ChaosPoint point) => point switch
    {
        ChaosPoint.SignalDelivery => "signal-delivery",
        ChaosPoint.Handler => "handler",
        ChaosPoint.Socket => "socket",
        ChaosPoint.Syscall => "syscall",
        _ => "dma",
    };

    private int Next(string point)
    {
        var n = _ordinals.GetValueOrDefault(point);
        _ordinals[point] = n + 1;
        return n;
    }

    /// <summary>The delay for this occasion of <paramref name="point"/> (zero for none).</summary>
    public TimeSpan Delay(ChaosPoint point, string process, int? signal, string? step, string detail)
    {
        if (_settings is null) return TimeSpan.Zero;
        var name = Name(point);
        var ordinal = Next(name);
        TimeSpan delay;
        if (_settings.Script is { } script)
        {
            if (script.At(name, _owner, ordinal) is not { Kind: "delay", DelayMs: { } ms }) return TimeSpan.Zero;
            delay = TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
        }
        else
        {
            delay = TimeSpan.Zero;
            foreach (var rule in _settings.Plan.Delays)
            {
                if (rule.On != point || (rule.Process is { } p && p != process) || (rule.Signal is { } s && s != signal)
                    || (rule.Step is { } st && st != step && !(detail.StartsWith(st + " ", StringComparison.Ordinal) || detail == st))) continue;
                if (!_random!.NextBool(rule.Probability)) continue;
                delay += rule.Distribution.Sample(_random);
            }
            if (delay <= TimeSpan.Zero) return TimeSpan.Zero;
        }
        Record(new Fault("delay", name, _owner, ordinal, delay.Ticks / (double)TimeSpan.TicksPerMillisecond, detail));
        return delay;
    }

    /// <summary>Whether this delivery of <paramref name="signal"/> is dropped.</summary>
    public bool Drop(string process, int signal, string detail)
    {
        if (_settings is null) return false;
        var ordinal = Next("drop");
        bool drop;
        if (_settings.Script is { } script) drop = script.At("drop", _owner, ordinal) is { Kind: "drop" };
        else drop = _settings.Plan.Drops.Any(r => (r.Process is null || r.Process == process) && (r.Signal is null || r.Signal == signal)
                                                  && _random!.NextBool(r.Probability));
        if (drop) Record(new Fault("drop", "drop", _owner, ordinal, null, detail));
        return drop;
    }

    /// <summary>Whether the process crashes before its next program step (<paramref name="stepCount"/> steps in its program).</summary>
    public bool CrashBefore(string process, string? label, int stepCount, string detail)
    {
        if (_settings is null) return false;
        var ordinal = Next("crash");
        bool crash;
        if (_settings.Script is { } script) crash = script.At("crash", _owner, ordinal) is { Kind: "crash" };
        else
        {
            crash = false;
            foreach (var rule in _settings.Plan.Crashes)
            {
                if (rule.Process is { } p && p != process) continue;
                // At a label or a random step, the probability (if any) is the chance that the crash happens there;
                // with neither, it is the chance before each step.
                var chance = rule.Probability > 0 ? rule.Probability : 1;
                if (rule.AtLabel is { } l)
                {
                    if (l == label && _random!.NextBool(chance)) crash = true;
                }
                else if (rule.AtRandomStep)
                {
                    _randomCrashStep ??= _random!.NextBool(chance) ? _random.Next(Math.Max(1, stepCount)) : -1;
                    if (_randomCrashStep == ordinal) crash = true;
                }
                else if (_random!.NextBool(rule.Probability))
                {
                    crash = true;
                }
            }
        }
        if (crash) Record(new Fault("crash", "crash", _owner, ordinal, null, detail));
        return crash;
    }

    private void Record(Fault fault) =>
        _trace.Record("fault", ("kind", fault.Kind), ("point", fault.Point), ("owner", fault.Owner), ("ordinal", fault.Ordinal),
            ("delayMs", fault.DelayMs), ("detail", fault.Detail));
}
