using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>Bad topology files: each error names the file, the HOCON path and what was expected, on one line.</summary>
public sealed class TopologyParserErrorTests
{
    private const string Base = """
        files.data { path = /mnt/pmem/data }
        sockets.ab = [A, B]
        """;

    public static TheoryData<string, string, string> Cases => new()
    {
        // HOCON syntax, reported with a line and column
        { "processes {\n  A.program = [ { sleep = 1s } ]\n", "", "line 1, column 11: this '{' is never closed (expected '}' before the end of the file)" },
        { "processes.A.program = [ { sleep = 1s } }", "", "line 1, column 40: unexpected '}': expected ']' to close the '[' at line 1, column 23" },
        { "x { a { b = 1 }, c = 2 }", "", "line 1, column 16: unexpected ',' after `key { … }`" },
        { "name = \"unterminated\nhorizon = 1h", "", "line 1, column 8: this quoted string is not closed on its line" },
        { "horizon = ${h}", "", "line 1, column 11: substitutions (${…}) are not supported" },
        { "include \"other.conf\"", "", "line 1, column 1: include is not supported" },
        { "processes.A.program = [ open = data ]", "", "line 1, column 30: unexpected '=' in a list: a list holds values or { … } objects, not `key = value`" },
        { "processes.A.program = [ { label =: x } ]", "", "line 1, column 34: expected a value, got ':'" },
        { "processes.A.program = [\n  { sleep = 1s }\n  { sleep = 2s } { sleep = 3s }\n]", "", "line 3, column 18: unexpected '{' after the value that starts at line 3, column 3; is a ',' or a new line missing?" },
        { "horizon 1h", "", "line 1, column 9: expected '=', ':' or '{' after the key \"horizon\", got \"1h\"" },
        { "horizon =\n1h", "", "line 1, column 10: expected a value on the same line, got the end of the line" },
        { "}", "", "line 1, column 1: unexpected '}': no '{' is open here" },
        { "name = a\u0001b", "", "line 1, column 9: unexpected character U+0001" },
        // unknown keys and step kinds
        { "proceses.A.program = []", "proceses", "unknown key `proceses` in a topology; expected name, description, policy, horizon, sysctl, files, sockets, processes, expect, chaos" },
        { Base + "\nprocesses.A.program = [ { opne = data } ]\nprocesses.B.program = []", "processes.A.program[0]", "expected a step kind (open, close, dup," },
        { Base + "\nprocesses.A.program = [ { open = data, as = f, mode = 3 } ]\nprocesses.B.program = []", "processes.A.program[0].mode", "unknown key `mode` in an open step; expected flags, as, label" },
        { Base + "\nprocesses.A.program = [ { open = data, close = f } ]\nprocesses.B.program = []", "processes.A.program[0]", "a step makes one call, this one names open and close; separate steps with a comma or a new line" },
        { Base + "\nprocesses.A.program = [ { open = data } { close = f } ]\nprocesses.B.program = []", "", "line 3, column 41: unexpected '{' after the value that starts at line 3, column 25; is a ',' or a new line missing?" },
        { Base + "\nfiles.data.sise = 4096\nprocesses { A.program = [], B.program = [] }", "files.data.sise", "unknown key `sise` in file data; expected path, size, type, owner, dax" },
        // names used but never defined
        { Base + "\nprocesses.A.program = [ { open = data, as = f }, { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK }, { sendmsg = ab, fds = [h] } ]\nprocesses.B.program = []",
            "processes.A.program[2].fds[0]", "fd `h` is not defined in process A: expected a name bound by an earlier open/dup `as`" },
        { Base + "\nprocesses.A.program = [ { close = f }, { open = data, as = f } ]\nprocesses.B.program = []", "processes.A.program[0].close", "fd `f` is used before the step that binds it (processes.A.program[1].as)" },
        { Base + "\nprocesses.A.program = [ { close = 3 } ]\nprocesses.B.program = []", "processes.A.program[0].close", "expected an fd name, got the number 3: topologies name fds (as = f) and never use fd numbers" },
        { Base + "\nprocesses { A.program = [], B.program = [], C.program = [ { sendmsg = ab, fds = [] } ] }", "processes.C.program[0].sendmsg", "process C does not hold socket `ab`: only A and B do (sockets.ab), and processes they pass it to" },
        { Base + "\nprocesses { A.program = [ { open = nodata, as = f } ], B.program = [] }", "processes.A.program[0].open", "file `nodata` is not defined in `files` (files: data)" },
        { Base + "\nprocesses { A.program = [ { open = /mnt/pmem/other, as = f } ], B.program = [] }", "processes.A.program[0].open", "no file has the path /mnt/pmem/other: expected a file name from `files`, a path defined there, or a path created by an open with O_CREAT" },
        { Base + "\nprocesses { A.program = [ { wait-for = Z.exited } ], B.program = [] }", "processes.A.program[0].wait-for", "process `Z` is not defined (processes: A, B)" },
        { Base + "\nprocesses { A.program = [ { wait-for = B.done } ], B.program = [ { label = don } ] }", "processes.A.program[0].wait-for", "process B has no step labelled `done` (its labels: don, exited)" },
        { Base + "\nprocesses { A.program = [ { kill = C, signal = SIGTERM } ], B.program = [] }", "processes.A.program[0].kill", "process `C` is not defined (processes: A, B)" },
        { Base + "\nsockets.cd = [C, D]\nprocesses { A.program = [], B.program = [] }", "sockets.cd[0]", "process `C` is not defined in `processes` (defined: A, B)" },
        // bad values
        { Base + "\nprocesses { A.program = [ { sleep = -5s } ], B.program = [] }", "processes.A.program[0].sleep", "expected a duration that is not negative, got \"-5s\"" },
        { Base + "\nprocesses { A.program = [ { sleep = 5 parsecs } ], B.program = [] }", "processes.A.program[0].sleep", "expected a duration unit (ns, us, ms, s, m, h, d), got \"parsecs\" in \"5 parsecs\"" },
        { "files.data { path = /d, size = -1MiB }", "files.data.size", "expected a size that is not negative, got \"-1MiB\"" },
        { "files.data { path = /d, size = lots }", "files.data.size", "expected a size such as 4096, 64KiB or 1MiB, got \"lots\"" },
        { "horizon = 0s", "horizon", "expected a horizon longer than 0, got \"0s\"" },
        { Base + "\nprocesses { A.program = [ { open = data, flags = [O_RDWRX] } ], B.program = [] }", "processes.A.program[0].flags[0]", "expected an open flag (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_NONBLOCK, O_CLOEXEC, O_PATH), got \"O_RDWRX\"" },
        { Base + "\nprocesses { A.program = [ { open = data, flags = [O_RDONLY, O_RDWR] } ], B.program = [] }", "processes.A.program[0].flags[1]", "expected one access mode, got O_RDONLY and O_RDWR" },
        { Base + "\nprocesses { A.handlers.SIGFOO = { }, B.program = [] }", "processes.A.handlers.SIGFOO", "expected a signal name such as SIGIO as the key of a handler, got \"SIGFOO\"" },
        { Base + "\nprocesses { A.ignore = [SIGKILL], B.program = [] }", "processes.A.ignore[0]", "SIGKILL cannot be ignored; expected another signal" },
        { Base + "\nprocesses { A.program = [ { open = data, as = f }, { fcntl = F_SETLEAS, fd = f } ], B.program = [] }", "processes.A.program[1].fcntl", "expected an fcntl command (F_SETLEASE, F_GETLEASE, F_SETOWN, F_SETOWN_EX, F_GETOWN, F_GETOWN_EX, F_SETSIG, F_GETSIG, F_SETFD), got \"F_SETLEAS\"" },
        { Base + "\nprocesses { A.program = [ { open = data, as = f }, { fcntl = F_SETLEASE, fd = f, arg = F_RDLOCK } ], B.program = [] }", "processes.A.program[1].arg", "expected F_RDLCK, F_WRLCK, F_UNLCK or an integer, got \"F_RDLOCK\"" },
        { Base + "\nprocesses { A.program = [ { open = data, as = f }, { fcntl = F_GETLEASE, fd = f, arg = F_RDLCK } ], B.program = [] }", "processes.A.program[1].arg", "unknown key `arg` for fcntl F_GETLEASE; expected fd, label" },
        { Base + "\nprocesses { A.program = [ { open = data, as = f }, { fcntl = F_SETLEASE, fd = f } ], B.program = [] }", "processes.A.program[1]", "an fcntl F_SETLEASE step needs `arg` (arg = F_RDLCK)" },
        // duplicates and reserved names
        { Base + "\nprocesses { A.program = [ { fork = B } ], B.program = [] }", "processes.A.program[0].fork", "process `B` is already defined at processes.B; process names must be unique" },
        { "processes.rfc-v2.program = []", "processes.rfc-v2", "process name `rfc-v2` is a policy name; policy names key expect blocks, so processes must be named otherwise" },
        { "processes.A.program = [ { label = x }, { sleep = 1s, label = x } ]", "processes.A.program[1].label", "process A already has a step labelled `x` (processes.A.program[0].label); labels must be unique in a process" },
        { "processes.A.program = [ { label = exited } ]", "processes.A.program[0].label", "label `exited` is reserved" },
        { "files { a = { path = /x }, b = { path = /x } }", "files.b.path", "path /x is already the path of file a (files.a)" },
        // structure
        { "processes.A { program = [ { sleep = 1s } ], handlers.SIGIO = { steps = [ { wait-for = A.exited } ] } }", "processes.A.handlers.SIGIO.steps[0].wait-for", "wait-for is not supported in a handler" },
        { "processes.A.program = [ { exit = 0 }, { sleep = 1s } ]", "processes.A.program[1]", "this step never runs: the exit step before it does not return" },
        { "processes.A.program = { sleep = 1s }", "processes.A.program", "expected a list of steps [ { open = data, as = f }, … ], got an object" },
        // expectations
        { "processes.A.program = [ { label = here } ]\nexpect.Z.here { result = ok }", "expect.Z", "unknown key `Z` in expect; expected verdict, findings, a process (A) or a policy (mainline, rfc-v1," },
        { "processes.A.program = [ { label = here } ]\nexpect.A.there { result = ok }", "expect.A.there", "process A has no step labelled `there`; expected signals or one of its labels (here)" },
        { "processes.A.program = [ { label = here } ]\nexpect.verdict = fine", "expect.verdict", "expected a verdict (clean, refused, late, killed, violation, hang, corruption), got \"fine\"" },
        { "processes.A.program = [ { label = here } ]\nexpect.rfc-v2.odp.verdict = clean", "expect.rfc-v2.odp", "policy blocks do not nest" },
        { "processes.A.program = [ { label = here } ]\nexpect.findings = [H3, H42]", "expect.findings[1]", "expected a finding id (H1, H2, H3," },
        { "processes.A.program = [ { label = here } ]\nexpect.A.here { result = ok, errno = EAGAIN }", "expect.A.here.errno", "a step expected to succeed (result = ok) has no errno" },
        { "processes.A.program = [ { label = here } ]\nexpect.A.here { errno = EWHAT }", "expect.A.here.errno", "expected an errno name (EPERM, ENOENT," },
        { "policy = rfc-v3", "policy", "expected a policy (mainline, rfc-v1, rfc-v2, lease-per-holder, mr-holds-lease, deny-pass, block-close, revoke-kill, odp, wait-forever, trust-lease), got \"rfc-v3\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_names_the_file_the_HOCON_path_and_what_was_expected(string text, string path, string problem)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(text, "bad.conf"));

        Assert.Equal("bad.conf", error.File);
        Assert.Equal(path, error.Path);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.Equal(path.Length == 0 ? $"bad.conf: {error.Problem}" : $"bad.conf: {path}: {error.Problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(error.Message, error.ToString());
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_a_topology_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "leaseactors-no-such-dir", "missing.conf");

        var error = Assert.Throws<TopologyException>(() => TopologyParser.ParseFile(path));

        Assert.Equal(path, error.File);
        Assert.StartsWith("cannot read the file", error.Problem, StringComparison.Ordinal);
    }
}
