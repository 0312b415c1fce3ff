namespace LeaseActors;

/// <summary><c>open(2)</c> flags, with their Linux x86-64 values.</summary>
[Flags]
#pragma warning disable CA1711, CA1069 // Linux names; O_RDONLY is 0 by definition
public enum OpenFlags
{
    /// <summary>Open for reading only (the access mode 0).</summary>
    O_RDONLY = 0,
    /// <summary>Open for writing only.</summary>
    O_WRONLY = 0x1,
    /// <summary>Open for reading and writing.</summary>
    O_RDWR = 0x2,
    /// <summary>Create the file if it does not exist.</summary>
    O_CREAT = 0x40,
    /// <summary>Truncate a regular file to length 0.</summary>
    O_TRUNC = 0x200,
    /// <summary>Non-blocking: a breaking open fails with <c>EWOULDBLOCK</c> instead of waiting.</summary>
    O_NONBLOCK = 0x800,
    /// <summary>Set FD_CLOEXEC on the new descriptor.</summary>
    O_CLOEXEC = 0x80000,
    /// <summary>A path-only descriptor: counts as no open for leases and cannot take one.</summary>
    O_PATH = 0x200000,
}
#pragma warning restore CA1711, CA1069

/// <summary>Helpers for <see cref="OpenFlags"/>.</summary>
public static class OpenFlagsExtensions
{
    /// <summary>The access mode bits (<c>flags &amp; O_ACCMODE</c>).</summary>
    public static OpenFlags AccessMode(this OpenFlags flags) => flags & (OpenFlags)0x3;

    /// <summary>Whether the open gets FMODE_WRITE.</summary>
    public static bool Writes(this OpenFlags flags) => (flags & OpenFlags.O_PATH) == 0 && flags.AccessMode() is OpenFlags.O_WRONLY or OpenFlags.O_RDWR;

    /// <summary>Whether the open gets FMODE_READ.</summary>
    public static bool Reads(this OpenFlags flags) => (flags & OpenFlags.O_PATH) == 0 && flags.AccessMode() is OpenFlags.O_RDONLY or OpenFlags.O_RDWR;
}
