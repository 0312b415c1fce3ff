namespace LeaseActors.Processes;

/// <summary>
/// A file descriptor as a syscall names it: a number (the embedding API) or a name that the process's program
/// gave it with <c>as</c> (topologies). Names are private to a process and are copied by fork.
/// </summary>
public readonly record struct FdRef
{
    private FdRef(int? number, string? name)
    {
        Number = number;
        Name = name;
    }

    /// <summary>The fd number, when given as a number.</summary>
    public int? Number { get; }

    /// <summary>The program's name for the fd, when given as a name.</summary>
    public string? Name { get; }

    /// <summary>An fd given by number.</summary>
    public static FdRef Of(int number) => new(number, null);

    /// <summary>An fd given by its name in the program.</summary>
    public static FdRef Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(null, name);
    }

    /// <summary>An fd given by number.</summary>
    public static implicit operator FdRef(int number) => Of(number);

    /// <summary>An fd given by its name in the program.</summary>
    public static implicit operator FdRef(string name) => Named(name);

    /// <inheritdoc />
    public override string ToString() => Name ?? Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

/// <summary>A process (or, negated, a process group) as a syscall names it: a pid, or a process name of the topology.</summary>
public readonly record struct ProcessRef
{
    private ProcessRef(int? pid, string? name, bool group)
    {
        Pid = pid;
        Name = name;
        IsGroup = group;
    }

    /// <summary>The pid (or pgid), when given as a number.</summary>
    public int? Pid { get; }

    /// <summary>The process's name, when given by name.</summary>
    public string? Name { get; }

    /// <summary>True for a process group (F_SETOWN(-pgid), kill(-pgid)); the group is named by its leader.</summary>
    public bool IsGroup { get; }

    /// <summary>A process by pid; a negative number means the process group -pid, as F_SETOWN and kill take it.</summary>
    public static ProcessRef Of(int pid) => pid < 0 ? new(-pid, null, true) : new(pid, null, false);

    /// <summary>A process by name.</summary>
    public static ProcessRef Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(null, name, false);
    }

    /// <summary>The process group led by the named process.</summary>
    public static ProcessRef GroupOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(null, name, true);
    }

    /// <summary>A process by pid (negative: group).</summary>
    public static implicit operator ProcessRef(int pid) => Of(pid);

    /// <summary>A process by name.</summary>
    public static implicit operator ProcessRef(string name) => Named(name);

    /// <inheritdoc />
    public override string ToString() => (IsGroup ? "-" : "") + (Name ?? Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?");
}
