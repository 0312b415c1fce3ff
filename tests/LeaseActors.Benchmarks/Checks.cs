namespace LeaseActors.Benchmarks;

/// <summary>Sanity checks run in global set-ups, so that a broken workload fails instead of being timed.</summary>
internal static class Checks
{
    public static void Expect(bool condition, string whatWentWrong)
    {
        if (!condition) throw new InvalidOperationException("Benchmark workload check failed: " + whatWentWrong + ".");
    }
}
