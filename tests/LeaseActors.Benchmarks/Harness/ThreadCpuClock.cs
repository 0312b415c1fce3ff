using System.Runtime.InteropServices;

namespace LeaseActors.Benchmarks.Harness;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>). On a machine shared with other
/// work, runs per CPU-second of the driver thread say what the engine costs regardless of how much of the core
/// the thread was given; wall-clock rates say what the thread actually achieved.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>The calling thread's CPU time, or null where the clock is unavailable (not Linux).</summary>
    public static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (ClockGetTime(ClockThreadCpuTimeId, out var ts) != 0) return null;
        return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out Timespec timespec);
}
