namespace LeaseActors.Topologies.Internal;

/// <summary>What the parser learns about one process of a topology (top-level or forked): its labels, threads and the names its steps bind.</summary>
internal sealed class ProcessInfo(string name, string path, ProcessInfo? forkedInHandlerOf)
{
    /// <summary>The thread key of names a process holds from its start: its sockets, and what a fork copied.</summary>
    public const string Inherited = "(inherited)";

    /// <summary>The thread key of names bound by handler steps.</summary>
    public const string Handler = "(handler)";

    /// <summary>The process's name.</summary>
    public string Name { get; } = name;

    /// <summary>Where it is defined (<c>processes.A</c>, or the fork step).</summary>
    public string Path { get; } = path;

    /// <summary>For a process forked by a handler step: the parent, whose names it may use (the parser cannot tell which it had at that moment).</summary>
    public ProcessInfo? ForkedInHandlerOf { get; } = forkedInHandlerOf;

    /// <summary>Labels of its steps (program, threads, execve programs, handlers) → where each is defined.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>Its threads (by the name their <c>thread</c> step gives) → where each is started.</summary>
    public Dictionary<string, string> Threads { get; } = new(StringComparer.Ordinal);

    /// <summary>Every name bound by any of its steps, or held from the start.</summary>
    public List<NameBinding> Bindings { get; } = [];

    /// <summary>The sockets of the topology's <c>sockets</c> block it holds from the start (top level) or inherited (fork).</summary>
    public HashSet<string> Sockets { get; } = new(StringComparer.Ordinal);
}

/// <summary>A name bound by a step: an fd or a mapping, in which thread (or <see cref="ProcessInfo.Handler"/>), where.</summary>
internal readonly record struct NameBinding(string Name, NameKind Kind, string Thread, string Path);

/// <summary>The two namespaces of a program's names.</summary>
internal enum NameKind
{
    /// <summary>A file descriptor (files, sockets, received fds).</summary>
    Fd,
    /// <summary>A mapping made by <c>mmap</c>.</summary>
    Mapping,
}
