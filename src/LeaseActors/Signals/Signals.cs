namespace LeaseActors.Signals;

/// <summary>Linux x86-64 signal numbers and <c>si_code</c> values the model uses.</summary>
public static class Sig
{
    /// <summary>Hangup.</summary>
    public const int SIGHUP = 1;
    /// <summary>Interrupt.</summary>
    public const int SIGINT = 2;
    /// <summary>Quit.</summary>
    public const int SIGQUIT = 3;
    /// <summary>Abort.</summary>
    public const int SIGABRT = 6;
    /// <summary>Kill: cannot be caught, blocked or ignored.</summary>
    public const int SIGKILL = 9;
    /// <summary>User signal 1.</summary>
    public const int SIGUSR1 = 10;
    /// <summary>Segmentation fault: how a process whose handler faults dies.</summary>
    public const int SIGSEGV = 11;
    /// <summary>User signal 2.</summary>
    public const int SIGUSR2 = 12;
    /// <summary>Broken pipe.</summary>
    public const int SIGPIPE = 13;
    /// <summary>Alarm clock.</summary>
    public const int SIGALRM = 14;
    /// <summary>Termination.</summary>
    public const int SIGTERM = 15;
    /// <summary>Child status changed (default: ignore).</summary>
    public const int SIGCHLD = 17;
    /// <summary>Continue.</summary>
    public const int SIGCONT = 18;
    /// <summary>Stop: cannot be caught, blocked or ignored.</summary>
    public const int SIGSTOP = 19;
    /// <summary>Urgent data on a socket (default: ignore).</summary>
    public const int SIGURG = 23;
    /// <summary>Window size change (default: ignore).</summary>
    public const int SIGWINCH = 28;
    /// <summary>I/O possible, and the lease-break signal (default: terminate). Same number as SIGPOLL.</summary>
    public const int SIGIO = 29;
    /// <summary>The first realtime signal as glibc exposes it.</summary>
    public const int SIGRTMIN = 34;
    /// <summary>The last realtime signal.</summary>
    public const int SIGRTMAX = 64;

    /// <summary><c>si_code</c> of a signal sent by the kernel itself (plain SIGIO from a lease break): 0x80.</summary>
    public const int SI_KERNEL = 0x80;
    /// <summary><c>si_code</c> of <c>kill(2)</c>.</summary>
    public const int SI_USER = 0;
    /// <summary><c>si_code</c> for F_SETSIG signals that have their own codes (other than SIGPOLL).</summary>
    public const int SI_SIGIO = -5;
    /// <summary><c>si_code</c> of a lease break delivered through F_SETSIG: POLL_MSG.</summary>
    public const int POLL_MSG = 3;
    /// <summary><c>si_band</c> of a POLL_MSG signal: POLLIN | POLLRDNORM | POLLMSG.</summary>
    public const long PollMsgBand = 0x441;

    /// <summary>Whether <paramref name="signo"/> is a realtime signal (queued, never coalesced).</summary>
    public static bool IsRealtime(int signo) => signo >= 32 && signo <= SIGRTMAX;

    /// <summary>Whether <paramref name="signo"/> is a valid signal number (1–64).</summary>
    public static bool IsValid(int signo) => signo >= 1 && signo <= SIGRTMAX;

    /// <summary>Whether the default action of <paramref name="signo"/> is to ignore it.</summary>
    public static bool DefaultIgnores(int signo) => signo is SIGCHLD or SIGURG or SIGWINCH or SIGCONT;

    /// <summary>Signals that have signal-specific <c>si_code</c>s (<c>sig_specific_sicodes</c>).</summary>
    public static bool HasSpecificCodes(int signo) => signo is 4 or 5 or 7 or 8 or SIGSEGV or SIGCHLD or SIGIO or 31;

    /// <summary>The Linux name of a signal (<c>SIGIO</c>, <c>SIGRTMIN+3</c>).</summary>
    public static string Name(int signo) => signo switch
    {
        SIGHUP => "SIGHUP", SIGINT => "SIGINT", SIGQUIT => "SIGQUIT", SIGABRT => "SIGABRT", SIGKILL => "SIGKILL",
        SIGUSR1 => "SIGUSR1", SIGSEGV => "SIGSEGV", SIGUSR2 => "SIGUSR2", SIGPIPE => "SIGPIPE", SIGALRM => "SIGALRM",
        SIGTERM => "SIGTERM", SIGCHLD => "SIGCHLD", SIGCONT => "SIGCONT", SIGSTOP => "SIGSTOP", SIGURG => "SIGURG",
        SIGWINCH => "SIGWINCH", SIGIO => "SIGIO",
        >= SIGRTMIN and <= SIGRTMAX => signo == SIGRTMIN ? "SIGRTMIN" : $"SIGRTMIN+{signo - SIGRTMIN}",
        _ => $"SIG{signo}",
    };

    /// <summary>Parses a signal name (<c>SIGIO</c>, <c>IO</c>, <c>SIGRTMIN+1</c>) or number; null when unknown.</summary>
    public static int? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToUpperInvariant();
        if (int.TryParse(t, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
            return IsValid(n) ? n : null;
        if (!t.StartsWith("SIG", StringComparison.Ordinal)) t = "SIG" + t;
        if (t.StartsWith("SIGRTMIN", StringComparison.Ordinal))
        {
            var rest = t["SIGRTMIN".Length..];
            if (rest.Length == 0) return SIGRTMIN;
            if (rest[0] == '+' && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && SIGRTMIN + k <= SIGRTMAX)
                return SIGRTMIN + k;
            return null;
        }
        for (var s = 1; s <= 31; s++)
            if (Name(s) == t) return s;
        return t == "SIGPOLL" ? SIGIO : null;
    }
}

/// <summary>What a signal carries (<c>siginfo_t</c>, the fields lease breaks set).</summary>
/// <param name="Signo">Signal number.</param>
/// <param name="Code"><c>si_code</c>.</param>
/// <param name="Fd"><c>si_fd</c> (0 for plain SIGIO).</param>
/// <param name="Band"><c>si_band</c>.</param>
public sealed record SigInfo(int Signo, int Code, int Fd, long Band);
