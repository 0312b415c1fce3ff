using System.Globalization;

namespace LeaseActors.Conformance.Real;

/// <summary>Where <see cref="SysctlGuard"/> finds the sysctls, its lock and its journal (tests point these at a temp folder).</summary>
/// <param name="LeaseBreakTime">The lease-break-time sysctl file.</param>
/// <param name="LeasesEnable">The leases-enable sysctl file.</param>
/// <param name="Folder">Where the lock file and the journal live.</param>
public sealed record SysctlPaths(string LeaseBreakTime, string LeasesEnable, string Folder)
{
    /// <summary>The machine's sysctls; lock and journal in <c>/run/leaseactors</c> (tmpfs: a reboot resets both the sysctls and the journal).</summary>
    public static SysctlPaths System { get; } = new(KernelEnvironment.LeaseBreakTimePath, KernelEnvironment.LeasesEnablePath,
        Directory.Exists("/run") ? "/run/leaseactors" : Path.Combine(Path.GetTempPath(), "leaseactors"));

    /// <summary>The lock file: held (flock) for as long as the sysctls differ from their original values.</summary>
    public string LockFile => Path.Combine(Folder, "sysctl.lock");

    /// <summary>The journal: the original values, written before the first change and removed after the restore.</summary>
    public string Journal => Path.Combine(Folder, "sysctl.journal");
}

/// <summary>
/// Sets the global lease sysctls for one real-kernel run and puts them back: holds a system-wide lock
/// (<c>flock</c> on <see cref="SysctlPaths.LockFile"/>) while they are changed, and keeps a journal of the original
/// values, so a run that was killed before restoring them is repaired by the next one (<see cref="Recovered"/>).
/// </summary>
public sealed class SysctlGuard : IDisposable
{
    private readonly SysctlPaths _paths;
    private readonly FileStream _lock;
    private readonly string _originalBreakTime;
    private readonly string _originalEnable;
    private bool _disposed;

    private SysctlGuard(SysctlPaths paths, FileStream lockFile, string breakTime, string enable, bool recovered)
    {
        _paths = paths;
        _lock = lockFile;
        _originalBreakTime = breakTime;
        _originalEnable = enable;
        Recovered = recovered;
    }

    /// <summary>True when a journal left by a killed run was found and its values were restored first.</summary>
    public bool Recovered { get; }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the lock, repairs what a killed run left, records the original values,
    /// and sets lease-break-time to <paramref name="leaseBreakTimeSeconds"/> and leases-enable to <paramref name="leasesEnable"/>.
    /// </summary>
    /// <exception cref="TimeoutException">Another run held the lock for longer than <paramref name="wait"/>.</exception>
    public static SysctlGuard Acquire(long leaseBreakTimeSeconds, bool leasesEnable, SysctlPaths? paths = null, TimeSpan? wait = null)
    {
        paths ??= SysctlPaths.System;
        Directory.CreateDirectory(paths.Folder);
        var lockFile = Lock(paths, DateTime.UtcNow + (wait ?? TimeSpan.FromMinutes(5)));
        try
        {
            var recovered = RestoreJournal(paths);
            var breakTime = File.ReadAllText(paths.LeaseBreakTime).Trim();
            var enable = File.ReadAllText(paths.LeasesEnable).Trim();
            WriteDurably(paths.Journal, $"lease-break-time={breakTime}\nleases-enable={enable}\n");
            File.WriteAllText(paths.LeaseBreakTime, leaseBreakTimeSeconds.ToString(CultureInfo.InvariantCulture) + "\n");
            File.WriteAllText(paths.LeasesEnable, leasesEnable ? "1\n" : "0\n");
            return new SysctlGuard(paths, lockFile, breakTime, enable, recovered);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the lock file and takes an exclusive flock, retrying until <paramref name="deadline"/>. .NET's FileStream
    /// itself takes a shared flock when it opens a file, so a holder's exclusive lock makes the open fail
    /// (IOException) rather than wait: both count as "held by another run".
    /// </summary>
    private static FileStream Lock(SysctlPaths paths, DateTime deadline)
    {
        while (true)
        {
            FileStream? file = null;
            try
            {
                file = new FileStream(paths.LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                if (Native.Flock((int)file.SafeFileHandle.DangerousGetHandle(), Native.LOCK_EX | Native.LOCK_NB) == 0) return file;
            }
            catch (IOException)
            {
                // Held by another process (see above); retry.
            }
            file?.Dispose();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"another run holds {paths.LockFile}; the lease sysctls are in use");
            Thread.Sleep(50);
        }
    }

    /// <summary>Sets leases-enable during a run (the lock is held).</summary>
    public void SetLeasesEnable(bool enable) => File.WriteAllText(_paths.LeasesEnable, enable ? "1\n" : "0\n");

    /// <summary>If a journal exists (a run was killed while holding changed values), writes its values back and removes it.</summary>
    /// <returns>True when a journal was found.</returns>
    /// <remarks>Call with the lock held.</remarks>
    private static bool RestoreJournal(SysctlPaths paths)
    {
        if (!File.Exists(paths.Journal)) return false;
        foreach (var line in File.ReadAllLines(paths.Journal))
        {
            var parts = line.Split('=', 2);
            if (parts.Length != 2 || parts[1].Length == 0) continue;
            if (parts[0] == "lease-break-time") File.WriteAllText(paths.LeaseBreakTime, parts[1] + "\n");
            else if (parts[0] == "leases-enable") File.WriteAllText(paths.LeasesEnable, parts[1] + "\n");
        }
        File.Delete(paths.Journal);
        return true;
    }

    private static void WriteDurably(string path, string text)
    {
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Restores the original values, removes the journal, and releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            File.WriteAllText(_paths.LeaseBreakTime, _originalBreakTime + "\n");
            File.WriteAllText(_paths.LeasesEnable, _originalEnable + "\n");
            File.Delete(_paths.Journal);
        }
        finally
        {
            _lock.Dispose(); // closing the file releases the flock
        }
    }

    /// <summary>Leaves the changed values and the journal in place and drops the lock, as a killed run would (for tests).</summary>
    internal void AbandonForTest()
    {
        _disposed = true;
        _lock.Dispose();
    }
}
