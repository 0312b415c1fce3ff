using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeaseActors.Cli.Tests.Pictures;

/// <summary>
/// A test that needs headless Chromium (Debian's <c>chromium</c> package). Skipped, with the reason, where Chromium is
/// missing — unless <c>LEASEACTORS_REQUIRE_BROWSER=1</c> (as <c>.ci/run</c> sets), where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null && Environment.GetEnvironmentVariable("LEASEACTORS_REQUIRE_BROWSER") != "1")
            Skip = "Chromium is not installed (apt-get install chromium); set LEASEACTORS_REQUIRE_BROWSER=1 to make this a failure";
    }
}

/// <summary>What a page did when Chromium opened it: console errors and uncaught exceptions, and the values of the asked expressions.</summary>
internal sealed record PageCheck(IReadOnlyList<string> Errors, IReadOnlyList<JsonNode?> Values);

/// <summary>Opens a page in headless Chromium and talks to it over the DevTools protocol (a WebSocket).</summary>
internal static class Chromium
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>
    /// Loads <paramref name="file"/>, waits for its load event and a moment more, then evaluates each of
    /// <paramref name="expressions"/> in the page (their values by value) and returns them with every console error,
    /// uncaught exception and error log entry seen since before the navigation.
    /// </summary>
    public static async Task<PageCheck> Check(string file, params string[] expressions)
    {
        var exe = Path ?? throw new InvalidOperationException("Chromium is not installed (apt-get install chromium), and LEASEACTORS_REQUIRE_BROWSER=1 requires it");
        using var profile = new TempDir();
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile.Path, "about:blank" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var browserUrl = await ReadDevToolsUrl(process, timeout.Token);
            var port = new Uri(browserUrl).Port;
            using var http = new HttpClient();
            string? pageUrl = null;
            while (pageUrl is null)
            {
                var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), timeout.Token))!.AsArray();
                pageUrl = list.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (pageUrl is null) await Task.Delay(100, timeout.Token);
            }
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(new Uri(pageUrl), timeout.Token);
            var session = new Session(ws);
            var reader = session.Run(timeout.Token);
            await session.Call("Runtime.enable", null, timeout.Token);
            await session.Call("Log.enable", null, timeout.Token);
            await session.Call("Page.enable", null, timeout.Token);
            var loaded = session.WaitFor("Page.loadEventFired");
            await session.Call("Page.navigate", new JsonObject { ["url"] = new Uri(file).AbsoluteUri }, timeout.Token);
            await loaded.WaitAsync(timeout.Token);
            await Task.Delay(300, timeout.Token);
            var values = new List<JsonNode?>();
            foreach (var expression in expressions)
            {
                var result = await session.Call("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, timeout.Token);
                if (result?["exceptionDetails"] is { } ex) session.Errors.Add("evaluate threw: " + ex.ToJsonString());
                values.Add(result?["result"]?["value"]?.DeepClone());
            }
            lock (session.Errors) return new PageCheck([.. session.Errors], values);
        }
        finally
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> ReadDevToolsUrl(Process process, CancellationToken token)
    {
        while (true)
        {
            var line = await process.StandardError.ReadLineAsync(token) ?? throw new InvalidOperationException("Chromium exited before it opened the DevTools port");
            var at = line.IndexOf("ws://", StringComparison.Ordinal);
            if (line.Contains("DevTools listening on", StringComparison.Ordinal) && at >= 0)
            {
                _ = process.StandardError.ReadToEndAsync(token); // keep draining
                return line[at..].Trim();
            }
        }
    }

    /// <summary>A DevTools session: numbered calls and their answers, and the error events it sees.</summary>
    private sealed class Session(ClientWebSocket ws)
    {
        private readonly Dictionary<int, TaskCompletionSource<JsonNode?>> _calls = [];
        private readonly Dictionary<string, TaskCompletionSource> _waits = [];
        private int _next;

        public List<string> Errors { get; } = [];

        public Task WaitFor(string method)
        {
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waits) _waits[method] = tcs;
            return tcs.Task;
        }

        public async Task<JsonNode?> Call(string method, JsonObject? parameters, CancellationToken token)
        {
            var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
            int id;
            lock (_calls) { id = ++_next; _calls[id] = tcs; }
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
            await ws.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, token);
            return await tcs.Task.WaitAsync(token);
        }

        public async Task Run(CancellationToken token)
        {
            var buffer = new byte[1 << 16];
            var message = new MemoryStream();
            try
            {
                while (ws.State == WebSocketState.Open)
                {
                    var r = await ws.ReceiveAsync(buffer, token);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, r.Count);
                    if (!r.EndOfMessage) continue;
                    var node = JsonNode.Parse(message.ToArray());
                    message.SetLength(0);
                    Handle(node!);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        }

        private void Handle(JsonNode node)
        {
            if (node["id"] is { } idNode)
            {
                TaskCompletionSource<JsonNode?>? tcs;
                lock (_calls) _calls.Remove(idNode.GetValue<int>(), out tcs);
                if (node["error"] is { } err) tcs?.TrySetException(new InvalidOperationException(err.ToJsonString()));
                else tcs?.TrySetResult(node["result"]);
                return;
            }
            var method = (string?)node["method"];
            var p = node["params"];
            var type = p?["type"]?.GetValue<string>();
            var level = p?["entry"]?["level"]?.GetValue<string>();
            switch (method)
            {
                case "Runtime.consoleAPICalled" when type is "error" or "assert":
                    lock (Errors) Errors.Add("console." + (string?)p!["type"] + ": " + p["args"]?.ToJsonString());
                    break;
                case "Runtime.exceptionThrown":
                    lock (Errors) Errors.Add("exception: " + p?["exceptionDetails"]?.ToJsonString());
                    break;
                case "Log.entryAdded" when level == "error":
                    lock (Errors) Errors.Add("log: " + (string?)p!["entry"]!["text"] + " " + (string?)p["entry"]!["url"]);
                    break;
            }
            if (method is not null)
            {
                TaskCompletionSource? wait;
                lock (_waits) _waits.Remove(method, out wait);
                wait?.TrySetResult();
            }
        }
    }
}
