using System.Text;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Topologies;

/// <summary>
/// Generated input: garbage, and valid topologies with random edits. The parser must return a topology or throw a
/// one-line <see cref="TopologyException"/>; anything else (or a crash) is a bug.
/// </summary>
public sealed class TopologyParserFuzzTests
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "=", ":", ",", "\n", " ", "\"", "\"\"\"", "#", "//", "$", "${", "+=", ".", "-", "\\", "0", "45s", "1MiB",
        "processes", "program", "files", "sockets", "expect", "sysctl", "A", "B", "f", "g", "open", "fcntl", "F_SETLEASE",
        "fd", "arg", "F_RDLCK", "as", "label", "wait-for", "A.exited", "sleep", "handlers", "SIGIO", "steps", "takes",
        "include", "null", "true", "fork", "thread", "execve", "recvmsg", "sendmsg", "fds", "rfc-v2", "verdict", "\t", "\u00e9", "\0",
    ];

    [Fact]
    public void Random_text_gives_a_topology_or_a_one_line_topology_error()
    {
        var random = new Random(20190824);
        for (var i = 0; i < 1500; i++)
        {
            var sb = new StringBuilder();
            var length = random.Next(0, 60);
            for (var j = 0; j < length; j++)
                sb.Append(random.Next(4) == 0 ? (char)random.Next(1, 128) : Fragments[random.Next(Fragments.Length)]);
            ParsesOrFailsCleanly(sb.ToString());
        }
    }

    [Fact]
    public void Valid_topologies_with_random_edits_give_a_topology_or_a_one_line_topology_error()
    {
        string[] seeds = [BuiltIn.SeedEmailText, TopologyRunTests.DesignExample];
        var random = new Random(45);
        for (var i = 0; i < 3000; i++)
        {
            var text = seeds[i % seeds.Length];
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(text.Length + 1);
                text = random.Next(3) switch
                {
                    0 => text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at)),
                    1 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                    _ => SwapLines(text, random),
                };
            }
            ParsesOrFailsCleanly(text);
        }
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{")]
    [InlineData("a = ")]
    public void Deep_nesting_is_refused_before_Akka_recurses_on_it(string opener)
    {
        ParsesOrFailsCleanly(string.Concat(Enumerable.Repeat(opener, 100_000)));
        ParsesOrFailsCleanly("a = " + new string('[', 5000) + new string(']', 5000));
    }

    [Theory]
    [InlineData("a = ${a}")]
    [InlineData("a = ${b}\nb = ${a}")]
    [InlineData("a = [1]\na = ${a} [2]")]
    [InlineData("a = ${?a}")]
    [InlineData("a { b = ${a} }")]
    public void Circular_substitutions_that_overflow_Akkas_stack_are_refused_first(string text)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(text, "loop.conf"));
        Assert.Contains("substitutions", error.Problem, StringComparison.Ordinal);
    }

    /// <summary>
    /// Akka's tokenizer stops unquoted text at the characters of its private <c>NotInUnquotedText</c>; a value such
    /// as <c>[O@_RDONLY]</c> then makes <c>ParseArray</c> loop, allocating until the process is killed (a generated
    /// topology found this). Every such character must be refused by the syntax check before Akka sees it.
    /// </summary>
    [Fact]
    public void Characters_that_stop_Akkas_unquoted_text_are_refused_before_Akka_parses()
    {
        var field = typeof(Akka.Configuration.Hocon.HoconTokenizer).GetField("NotInUnquotedText",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static);
        var stops = Assert.IsType<string>(field?.GetRawConstantValue());
        Assert.Contains('@', stops);
        foreach (var c in stops)
        {
            foreach (var text in new[] { $"a = [x{c}y]", $"a = x{c}y", $"a = [ {{ b = x{c}y }} ]" })
            {
                Assert.Throws<TopologyException>(() =>
                {
                    var parse = Task.Run(() => TopologyParser.Parse(text, "stop.conf"));
                    if (Task.WaitAny([parse], TimeSpan.FromSeconds(30)) < 0)
                        Environment.FailFast($"Akka's HOCON parser did not return for {Show(text)}");
                    return parse.GetAwaiter().GetResult();
                });
            }
        }
    }

    private static string SwapLines(string text, Random random)
    {
        var lines = text.Split('\n');
        var a = random.Next(lines.Length);
        var b = random.Next(lines.Length);
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return string.Join('\n', lines);
    }

    private static void ParsesOrFailsCleanly(string text)
    {
        try
        {
            var topology = TopologyParser.Parse(text, "fuzz.conf");
            Assert.NotNull(topology.Scenario);
        }
        catch (TopologyException e)
        {
            Assert.False(e.Message.Contains('\n', StringComparison.Ordinal) || e.Message.Contains('\r', StringComparison.Ordinal), $"Multi-line message for input {Show(text)}:\n{e.Message}");
            Assert.StartsWith("fuzz.conf: ", e.Message, StringComparison.Ordinal);
            Assert.NotEmpty(e.Problem);
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} for input {Show(text)}:\n{e}");
        }
    }

    private static string Show(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal) + "\"";
}
