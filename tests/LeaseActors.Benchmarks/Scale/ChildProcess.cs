using System.Diagnostics;

namespace LeaseActors.Benchmarks.Scale;

/// <summary>Runs this benchmark program again in a fresh process, echoing its output, and reads its one result line.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs the benchmark with <paramref name="args"/>, prints its standard output indented, and returns the
    /// <c>key=value</c> fields of its line that starts with <paramref name="resultPrefix"/>; null (after saying why) if it
    /// failed or printed no such line.
    /// </summary>
    public static Dictionary<string, string>? Run(string resultPrefix, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("LeaseActors.Benchmarks", StringComparison.Ordinal))
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location); // run through `dotnet X.dll`
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        string? line;
        string? result = null;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            Console.WriteLine("  " + line);
            if (line.StartsWith(resultPrefix, StringComparison.Ordinal)) result = line;
        }
        child.WaitForExit();
        if (child.ExitCode != 0 || result is null)
        {
            Console.WriteLine($"the child process ({string.Join(' ', start.ArgumentList)}) failed with exit code {child.ExitCode}");
            return null;
        }
        return result[resultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
    }
}
