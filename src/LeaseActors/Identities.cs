namespace LeaseActors;

/// <summary>A process id (a thread group id); also the id of the process's main thread.</summary>
public readonly record struct Pid(int Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A thread id. The main thread's id equals its process's <see cref="Pid"/>.</summary>
public readonly record struct Tid(int Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A file descriptor number in one process's fd table.</summary>
public readonly record struct Fd(int Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An inode number.</summary>
public readonly record struct InodeId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The identity of an open file description ("struct file").</summary>
public readonly record struct OfdId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
