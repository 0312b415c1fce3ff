using System.Collections.Immutable;
using System.Globalization;
using LeaseActors.Judging;

namespace StorageServer;

/// <summary>
/// What the sample emulates and how it runs it, with the defaults the command line starts from. Every value is checked
/// by <see cref="Validate"/>, which names the first bad one in words a person can act on.
/// </summary>
internal sealed record StorageServerOptions
{
    /// <summary>Client processes, each handed its own verbs context by the server. Default 8.</summary>
    public int Clients { get; init; } = 8;

    /// <summary>Lease periods, each ended by one truncate of the file by the maintenance process. Default 3.</summary>
    public int Truncates { get; init; } = 3;

    /// <summary>How long the maintenance process waits after the server has handed out a period's contexts before it truncates. Default 1 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a client's teardown handler takes before it deregisters its region. Default 10 ms (well within 45 s).</summary>
    public TimeSpan HandlerTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary><c>/proc/sys/fs/lease-break-time</c>: a break's (and a truncate's) deadline after its start. Default 45 s, Linux's.</summary>
    public TimeSpan LeaseBreakTime { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Clients also open the file and take a layout lease of their own before each context arrives (what lease-per-holder asks). Default false.</summary>
    public bool ClientLeases { get; init; }

    /// <summary>The maintenance process punches a hole over the whole file instead of truncating it to 0. Default false.</summary>
    public bool PunchHole { get; init; }

    /// <summary>Seeds per policy (0, 1, …): each picks another interleaving of the same scenario. Default 3.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>The policies to run, in this order. Default: all eleven, in the order of DESIGN.md §3.</summary>
    public ImmutableArray<string> Policies { get; init; } = [.. LeaseActors.Judging.Policies.Implemented];

    /// <summary>Run in real-time mode (the runtime's ordinary Akka dispatchers and scheduler, time scaled) instead of the simulation. Default false.</summary>
    public bool RealTime { get; init; }

    /// <summary>Print one JSON object instead of the text report. Default false.</summary>
    public bool Json { get; init; }

    /// <summary>Bytes of the file each client's region covers (16 pages). The file is <see cref="Clients"/> slices long.</summary>
    public const long SliceBytes = 64 * 1024;

    /// <summary>Checks every value; throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public StorageServerOptions Validate()
    {
        if (Clients is < 1 or > 1000) throw new ArgumentException($"--clients must be between 1 and 1000, got {Clients}");
        if (Truncates is < 1 or > 100) throw new ArgumentException($"--truncates must be between 1 and 100, got {Truncates}");
        if (Seeds is < 1 or > 10_000) throw new ArgumentException($"--seeds must be between 1 and 10000, got {Seeds}");
        if (Interval <= TimeSpan.Zero) throw new ArgumentException($"--interval must be above 0, got {Durations.Format(Interval)}");
        if (Interval > TimeSpan.FromMinutes(10)) throw new ArgumentException($"--interval must be at most 10m, got {Durations.Format(Interval)}");
        if (HandlerTime < TimeSpan.Zero || HandlerTime > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"--handler-time must be between 0 and 10m, got {Durations.Format(HandlerTime)}");
        if (LeaseBreakTime <= TimeSpan.Zero || LeaseBreakTime > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"--lease-break-time must be above 0 and at most 10m, got {Durations.Format(LeaseBreakTime)}");
        if (Policies.IsDefaultOrEmpty) throw new ArgumentException("--policy: no policy given");
        foreach (var policy in Policies) LeaseActors.Judging.Policies.Require(policy);
        return this;
    }
}

/// <summary>Durations as the topology files write them: <c>10ms</c>, <c>1s</c>, <c>2.5s</c>, <c>1m</c>.</summary>
internal static class Durations
{
    private static readonly (string Unit, double Ms)[] Units = [("ms", 1), ("us", 0.001), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

    /// <summary>Parses a duration; a bare <c>0</c> is zero. Throws an <see cref="ArgumentException"/> saying what was expected.</summary>
    public static TimeSpan Parse(string option, string text)
    {
        var t = text.Trim();
        if (t == "0") return TimeSpan.Zero;
        foreach (var (unit, ms) in Units.OrderByDescending(u => u.Unit.Length))
        {
            if (!t.EndsWith(unit, StringComparison.Ordinal)) continue;
            if (double.TryParse(t[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n))
                return TimeSpan.FromMilliseconds(n * ms);
            break;
        }
        throw new ArgumentException($"{option} expects a duration such as 10ms, 1s, 2.5s or 1m, got '{text}'");
    }

    /// <summary>The shortest exact spelling: <c>10ms</c>, <c>1s</c>, <c>1.5s</c>, <c>2m</c>.</summary>
    public static string Format(TimeSpan t)
    {
        var ms = t.TotalMilliseconds;
        if (ms != 0 && ms % 60_000 == 0) return (ms / 60_000).ToString(CultureInfo.InvariantCulture) + "m";
        if (ms != 0 && ms % 1000 == 0 || ms >= 1000) return (ms / 1000).ToString(CultureInfo.InvariantCulture) + "s";
        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
