using LeaseActors.Conformance.Real;

namespace LeaseActors.Kernel.Tests;

/// <summary>
/// When real-kernel tests skip: where the kernel cannot be used (not Linux, not root, no C compiler), with the
/// reason — unless LEASEACTORS_REQUIRE_KERNEL=1 (CI), which makes them run and fail with that reason instead.
/// </summary>
internal static class KernelRequirement
{
    public const string Category = "RealKernel";

    public static string? SkipReason()
    {
        var problem = KernelEnvironment.Problem();
        if (problem is null || Environment.GetEnvironmentVariable("LEASEACTORS_REQUIRE_KERNEL") == "1") return null;
        return $"the real kernel cannot be used here: {problem} (LEASEACTORS_REQUIRE_KERNEL=1 turns this skip into a failure)";
    }
}

/// <summary>A fact that needs the real kernel (see <see cref="KernelRequirement"/>).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (KernelRequirement.SkipReason() is { } reason) Skip = reason;
    }
}

/// <summary>A theory that needs the real kernel (see <see cref="KernelRequirement"/>).</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        if (KernelRequirement.SkipReason() is { } reason) Skip = reason;
    }
}

/// <summary>
/// Real-kernel tests share one collection, so they never run at the same time as each other (they would contend for
/// the sysctl lock and add jitter to 1 s deadlines).
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealKernelGroup : ICollectionFixture<RunnerFixture>
{
    public const string Name = "real kernel";
}

/// <summary>One conformance runner (one emulator actor system) for every real-kernel test.</summary>
public sealed class RunnerFixture : IDisposable
{
    public LeaseActors.Conformance.ConformanceRunner Runner { get; } = new();

    public void Dispose() => Runner.Dispose();
}

internal static class Repo
{
    /// <summary>The repository root (where LeaseActors.sln is).</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaseActors.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("LeaseActors.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ConformanceFolder => Path.Combine(Root, "configs", "conformance");
}
