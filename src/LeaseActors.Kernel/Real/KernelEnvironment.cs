namespace LeaseActors.Conformance.Real;

/// <summary>
/// Whether the real-kernel oracle can run here: Linux, root (leases on files owned by others, the sysctls), a C
/// compiler for the worker, and writable lease sysctls. <see cref="Problem"/> says what is missing.
/// </summary>
public static class KernelEnvironment
{
    /// <summary>The sysctl that sets how long a lease break waits.</summary>
    public const string LeaseBreakTimePath = "/proc/sys/fs/lease-break-time";

    /// <summary>The sysctl that allows new leases.</summary>
    public const string LeasesEnablePath = "/proc/sys/fs/leases-enable";

    /// <summary>Why the real kernel cannot be used, or null when it can.</summary>
    public static string? Problem()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux: the oracle runs topologies on the machine's Linux kernel";
        if (!Environment.IsPrivilegedProcess) return "not root: the oracle needs root to set /proc/sys/fs/lease-break-time and to take leases as any file owner";
        if (WorkerBinary.FindCompiler() is null) return "no C compiler: the oracle builds its worker with gcc or cc, and neither is on PATH";
        if (!File.Exists(LeaseBreakTimePath) || !File.Exists(LeasesEnablePath)) return $"{LeaseBreakTimePath} or {LeasesEnablePath} is missing: this kernel has no file leases";
        return null;
    }

    /// <summary>The kernel release (<c>uname -r</c>).</summary>
    public static string Release()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.VersionString;
        }
    }
}

/// <summary>The real kernel cannot be used: not Linux, not root, no compiler, or the worker failed to build.</summary>
public sealed class KernelUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KernelUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public KernelUnavailableException() { }

    /// <summary>Creates the exception.</summary>
    public KernelUnavailableException(string message, Exception inner) : base(message, inner) { }
}
