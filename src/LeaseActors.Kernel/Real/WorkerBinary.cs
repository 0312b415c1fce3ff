using System.Diagnostics;
using System.Security.Cryptography;

namespace LeaseActors.Conformance.Real;

/// <summary>
/// The C worker, built from the source embedded in this assembly with the machine's C compiler at first use, into a
/// cache folder keyed by the source's hash: any output folder (tests, the CLI, the packed tool) finds the same
/// binary, and a changed source gets a new one.
/// </summary>
public static class WorkerBinary
{
    private static readonly Lock Gate = new();

    /// <summary>The worker's C source.</summary>
    public static string Source()
    {
        using var stream = typeof(WorkerBinary).Assembly.GetManifestResourceStream("LeaseActors.Conformance.leaseworker.c")
            ?? throw new InvalidOperationException("the worker's source is not embedded in LeaseActors.Kernel");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The C compiler to use: <c>$CC</c>, else gcc or cc on PATH; null when there is none.</summary>
    public static string? FindCompiler()
    {
        var fromEnv = Environment.GetEnvironmentVariable("CC");
        var candidates = string.IsNullOrWhiteSpace(fromEnv) ? new[] { "gcc", "cc" } : [fromEnv];
        foreach (var name in candidates)
        {
            if (Path.IsPathRooted(name)) { if (File.Exists(name)) return name; continue; }
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    /// <summary>The folder binaries are cached in: <c>$LEASEACTORS_CACHE</c>, else <c>~/.cache/leaseactors</c>, else the temp folder.</summary>
    public static string CacheFolder()
    {
        var env = Environment.GetEnvironmentVariable("LEASEACTORS_CACHE");
        if (!string.IsNullOrWhiteSpace(env)) return env;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache") : Path.GetTempPath();
        return Path.Combine(baseDir, "leaseactors");
    }

    /// <summary>The path of the built worker, building it first if needed.</summary>
    /// <exception cref="KernelUnavailableException">No compiler, or the build failed.</exception>
    public static string Ensure()
    {
        var source = Source();
        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)))[..16];
        var folder = CacheFolder();
        var binary = Path.Combine(folder, "leaseworker-" + hash);
        lock (Gate)
        {
            if (File.Exists(binary)) return binary;
            var compiler = FindCompiler() ?? throw new KernelUnavailableException("no C compiler: the oracle builds its worker with gcc or cc, and neither is on PATH");
            Directory.CreateDirectory(folder);
            var src = Path.Combine(folder, $"leaseworker-{hash}.c");
            File.WriteAllText(src, source);
            var tmp = binary + "." + Environment.ProcessId + ".tmp";
            var start = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "-O2", "-Wall", "-Wextra", "-Werror", "-o", tmp, src }) start.ArgumentList.Add(arg);
            using var cc = Process.Start(start) ?? throw new KernelUnavailableException($"cannot start the C compiler {compiler}");
            var errors = cc.StandardError.ReadToEnd() + cc.StandardOutput.ReadToEnd();
            cc.WaitForExit();
            if (cc.ExitCode != 0) throw new KernelUnavailableException($"the C worker did not build with {compiler} (exit {cc.ExitCode}): {errors.Trim()}");
            File.Move(tmp, binary, overwrite: true); // atomic: a concurrent builder sees the old or the new file, never half of one
            return binary;
        }
    }
}
