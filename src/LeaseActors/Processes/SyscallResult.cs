using System.Collections.Immutable;

namespace LeaseActors.Processes;

/// <summary>
/// What a syscall returned: a value, or an errno. Some calls return more than one value (the two fds of
/// <c>socketpair</c>, the fds received by <c>recvmsg</c>, the type and id of <c>F_GETOWN_EX</c>).
/// </summary>
public sealed record SyscallResult
{
    /// <summary>The return value (meaningless when <see cref="Errno"/> is set).</summary>
    public long Value { get; init; }

    /// <summary>The error, or <see cref="LeaseActors.Errno.None"/> on success.</summary>
    public Errno Errno { get; init; }

    /// <summary>Further values (fds, owner type and id).</summary>
    public ImmutableArray<long> Values { get; init; } = [];

    /// <summary>True when the call succeeded.</summary>
    public bool Succeeded => Errno == Errno.None;

    /// <summary>A success returning <paramref name="value"/>.</summary>
    public static SyscallResult Ok(long value = 0) => value == 0 ? Zero : new() { Value = value };

    /// <summary>A success returning several values; <see cref="Value"/> is the first.</summary>
    public static SyscallResult OkMany(params long[] values) => new() { Value = values.Length > 0 ? values[0] : 0, Values = [.. values] };

    /// <summary>A failure with <paramref name="errno"/> (the C library would return -1).</summary>
    public static SyscallResult Fail(Errno errno) => errno switch
    {
        Errno.None => throw new ArgumentException("A failure needs an errno.", nameof(errno)),
        _ => new() { Value = -1, Errno = errno },
    };

    private static readonly SyscallResult Zero = new();

    /// <inheritdoc />
    public override string ToString() => Succeeded
        ? (Values.Length > 1 ? "[" + string.Join(",", Values) + "]" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : Errno.ToString();
}
