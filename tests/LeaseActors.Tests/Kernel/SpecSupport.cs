using System.Collections.Immutable;
using LeaseActors.Leases;
using LeaseActors.Processes;
using LeaseActors.Signals;

namespace LeaseActors.Tests.Kernel;

/// <summary>Values and helpers shared by the SEMANTICS.md §1/§4 specs.</summary>
internal static class SpecSupport
{
    /// <summary>The default <c>/proc/sys/fs/lease-break-time</c>.</summary>
    public static readonly TimeSpan Lbt = TimeSpan.FromSeconds(45);

    /// <summary>A SIGIO handler that takes 1 ms and does nothing (without SA_RESTART).</summary>
    public static readonly ImmutableDictionary<int, SignalAction> CatchesSigio =
        ScenarioBuilder.Handles(Sig.SIGIO, TimeSpan.FromMilliseconds(1), false);

    /// <summary>SIGIO set to SIG_IGN.</summary>
    public static readonly ImmutableDictionary<int, SignalAction> IgnoresSigio =
        ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, SignalAction.Ignore);

    public const long RD = (long)LeaseType.F_RDLCK;
    public const long WR = (long)LeaseType.F_WRLCK;
    public const long UNLCK = (long)LeaseType.F_UNLCK;

    public static TimeSpan Sec(double s) => TimeSpan.FromSeconds(s);

    /// <summary>A write to <c>/proc/sys/fs/&lt;entry&gt;</c>.</summary>
    public static CallStep Sysctl(string entry, long value, string? label = null) => S.Do(new WriteSysctl(entry, value), label);

    /// <summary>The pid the kernel gave <paramref name="process"/>.</summary>
    public static long Pid(this TraceView run, string process)
    {
        var created = run.Events("process.created").FirstOrDefault(e => (string?)e.Event["process"] == process);
        Assert.True(created.Event is not null, $"no process {process}");
        return Convert.ToInt64(created.Event["pid"], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Asserts that the step succeeded with <paramref name="value"/>.</summary>
    public static void Returns(this TraceView run, string process, string label, long value)
    {
        var step = run.Step(process, label);
        Assert.True(step.Errno is null, $"{process}/{label} failed with {step.Errno}:\n{run.Dump()}");
        Assert.Equal(value, step.Value);
    }

    /// <summary>Asserts that the step failed with <paramref name="errno"/>.</summary>
    public static void Fails(this TraceView run, string process, string label, Errno errno)
    {
        var step = run.Step(process, label);
        Assert.True(step.Errno == errno.ToString(), $"{process}/{label}: expected {errno}, got {step.Errno ?? "success " + step.Value}:\n{run.Dump()}");
    }

    /// <summary>Asserts that the step succeeded (any value).</summary>
    public static void Succeeds(this TraceView run, string process, string label)
    {
        var step = run.Step(process, label);
        Assert.True(step.Errno is null, $"{process}/{label} failed with {step.Errno}:\n{run.Dump()}");
    }

    /// <summary>How long the step took (asserting it succeeded).</summary>
    public static TimeSpan Took(this TraceView run, string process, string label)
    {
        run.Succeeds(process, label);
        return run.Step(process, label).Took;
    }

    /// <summary>Lease events of one kind with the given reason (or any reason).</summary>
    public static List<TimeSpan> LeaseEvents(this TraceView run, string kind, string? reason = null) =>
        [.. run.Events(kind).Where(e => reason is null || (string?)e.Event["reason"] == reason).Select(e => e.Time)];
}
