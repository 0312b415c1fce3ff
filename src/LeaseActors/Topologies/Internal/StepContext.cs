namespace LeaseActors.Topologies.Internal;

/// <summary>
/// Where a list of steps runs: which process, which thread, whether in a signal handler, and the names bound so far
/// on the way there (a thread, fork or execve continues from the names its parent had at that step).
/// </summary>
internal sealed class StepContext
{
    private StepContext(ProcessInfo process, string thread, bool inHandler, HashSet<string> fds, HashSet<string> mappings)
    {
        Process = process;
        Thread = thread;
        InHandler = inHandler;
        Fds = fds;
        Mappings = mappings;
    }

    /// <summary>The process whose steps these are.</summary>
    public ProcessInfo Process { get; }

    /// <summary><c>main</c>, <c>thread:NAME</c>, or <see cref="ProcessInfo.Handler"/>.</summary>
    public string Thread { get; }

    /// <summary>Steps of a signal handler: they run whenever the signal comes, so they may use any name the process binds anywhere, and cannot wait-for.</summary>
    public bool InHandler { get; }

    /// <summary>fd names bound before the current step of this thread.</summary>
    public HashSet<string> Fds { get; }

    /// <summary>Mapping names bound before the current step of this thread.</summary>
    public HashSet<string> Mappings { get; }

    /// <summary>The main thread of a process that holds <paramref name="fds"/> from its start.</summary>
    public static StepContext Main(ProcessInfo process, IEnumerable<string> fds, IEnumerable<string> mappings) =>
        new(process, "main", false, new(fds, StringComparer.Ordinal), new(mappings, StringComparer.Ordinal));

    /// <summary>A new thread of the same process, starting with the names bound so far (a thread started by a handler runs an ordinary program).</summary>
    public StepContext ForThread(string thread) =>
        new(Process, "thread:" + thread, false, new(Fds, StringComparer.Ordinal), new(Mappings, StringComparer.Ordinal));

    /// <summary>The steps of a signal handler of the same process.</summary>
    public StepContext ForHandler() =>
        new(Process, ProcessInfo.Handler, true, new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    /// <summary>The names of kind <paramref name="kind"/> bound so far.</summary>
    public HashSet<string> Names(NameKind kind) => kind == NameKind.Fd ? Fds : Mappings;
}
