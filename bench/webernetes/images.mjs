// The images the benchmark's manifests name, for Webernetes. Webernetes runs no real image: an
// image is a JS class whose `exec(ctx, argv)` is the container's process (README: "Webernetes
// does not run real images from Docker Hub, nor is it a goal to do so"). Its built-in busybox
// knows `cat false env printenv pause rm sh sleep test touch true wget`, but its `sh -c` only
// splits words (no `;` lists, no redirections), its `test` only `-f`, it has no `mkdir`, `echo`
// or `httpd`, and it runs nothing named by a path (`/bin/sh`). It has no nginx. So the bench
// registers the little userland the five shared lessons and the large clusters use, and nothing
// more; the kubelet, probes, hooks, restarts and back-off are Webernetes' own:
//   * busybox (replacing the built-in busybox:1.36): `/bin/X` runs X; `sh -c` runs `;`-separated
//     commands with `>`/`>>` redirections; `test -e|-f|-d`, `mkdir -p`, `echo`, `rm -rf`, `touch`,
//     `sleep`, `cat`; `httpd -f [-p PORT] -h DIR` serves DIR over HTTP (port 80), and exits 1
//     at once when DIR does not exist, as busybox httpd does;
//   * nginx:1.27 and sun2010wg/my-nginx:v2: /usr/share/nginx/html/index.html exists, the
//     process serves /usr/share/nginx/html on port 80 (404 for a missing file), and the same
//     userland answers `kubectl exec` and exec probes.
// The container file system is Webernetes' flat path -> contents map; a directory is an entry
// whose path ends in `/`.
export function images(BaseImage) {
  const SYSTEM_DIRS = new Set(["/", "/bin", "/etc", "/tmp", "/usr", "/var", "/root", "/home", "/proc", "/dev", "/sys", "/usr/share", "/usr/share/nginx"]);
  const norm = (p) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);
  const isDir = (fs, p) => SYSTEM_DIRS.has(norm(p)) || fs.has(norm(p) + "/");
  const exists = (fs, p) => fs.has(norm(p)) || isDir(fs, p);

  /// Splits a shell line into commands (on `;` outside quotes), each into words and redirections.
  function parseShell(line) {
    const commands = [];
    let words = [];
    let cur = "";
    let inWord = false;
    let quote;
    const endWord = () => {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    };
    for (const ch of line) {
      if (quote) {
        if (ch === quote) quote = undefined;
        else cur += ch;
        continue;
      }
      if (ch === "'" || ch === '"') { quote = ch; inWord = true; continue; }
      if (ch === ";") { endWord(); commands.push(words); words = []; continue; }
      if (/\s/.test(ch)) { endWord(); continue; }
      cur += ch;
      inWord = true;
    }
    endWord();
    commands.push(words);
    return commands.filter((w) => w.length > 0).map((w) => {
      const argv = [];
      let redirect;
      for (let i = 0; i < w.length; i++) {
        if (w[i] === ">>" || w[i] === ">") redirect = { append: w[i] === ">>", path: w[++i] };
        else if (w[i].startsWith(">>")) redirect = { append: true, path: w[i].slice(2) };
        else if (w[i].startsWith(">")) redirect = { append: false, path: w[i].slice(1) };
        else argv.push(w[i]);
      }
      return { argv, redirect };
    });
  }

  class Userland extends BaseImage {
    async exec(ctx, argv) {
      const name = (argv[0] ?? "").split("/").pop();
      const args = argv.slice(1);
      switch (name) {
        case "sh": {
          if (args[0] !== "-c" || args[1] === undefined) return await super.exec(ctx, ["sh", ...args]);
          let code = 0;
          for (const { argv: words, redirect } of parseShell(args[1])) {
            if (redirect) {
              let out = "";
              const sub = Object.create(ctx, { writeStdout: { value: (s) => { out += s; } } });
              code = await this.exec(sub, words);
              const before = redirect.append ? ctx.fs.read(redirect.path) ?? "" : "";
              ctx.fs.write(redirect.path, before + out);
            } else {
              code = await this.exec(ctx, words);
            }
          }
          return code;
        }
        case "echo":
          ctx.writeStdout(args.join(" ") + "\n");
          return 0;
        case "test":
          if (args[0] === "-e") return exists(ctx.fs, args[1]) ? 0 : 1;
          if (args[0] === "-f") return ctx.fs.has(args[1]) ? 0 : 1;
          if (args[0] === "-d") return isDir(ctx.fs, args[1]) ? 0 : 1;
          return 2;
        case "mkdir":
          for (const p of args.filter((a) => !a.startsWith("-"))) {
            const parts = norm(p).split("/");
            for (let i = 2; i <= parts.length; i++) ctx.fs.write(parts.slice(0, i).join("/") + "/");
          }
          return 0;
        case "rm": {
          const fs = ctx.fs;
          for (const p of args.filter((a) => !a.startsWith("-"))) {
            fs.delete(norm(p));
            fs.delete(norm(p) + "/");
            // The flat map has no listing: files under a directory are left (no lesson needs it).
          }
          return 0;
        }
        case "touch":
          for (const p of args) if (!ctx.fs.has(p)) ctx.fs.write(p, "");
          return 0;
        case "httpd": {
          let home = ".";
          let port = 80;
          for (let i = 0; i < args.length; i++) {
            if (args[i] === "-h") home = args[++i];
            else if (args[i].startsWith("-h")) home = args[i].slice(2);
            else if (args[i] === "-p") port = Number(args[++i]);
          }
          if (!isDir(ctx.fs, home)) {
            ctx.writeStderr(`httpd: can't change directory to '${home}': No such file or directory\n`);
            return 1;
          }
          serve(ctx, port, home);
          return await ctx.waitUntilKilled();
        }
        default:
          return await super.exec(ctx, [name, ...args]);
      }
    }
  }

  function serve(ctx, port, root) {
    // Handler: (ctx, {method, url: URL, header, host}) -> {status, body} (the dist's types; the
    // README's `(request) -> {statusCode}` is older).
    ctx.listenHttp(port, async (_ctx, request) => {
      let path = request.url?.pathname ?? "/";
      if (path.endsWith("/")) path += "index.html";
      const body = ctx.fs.read(norm(root) + path);
      return body === undefined ? { status: 404, body: "404 Not Found\n" } : { status: 200, body };
    });
  }

  class Busybox extends Userland {
    static imageName = "busybox";
    static imageVersion = "1.36";
    defaultCommand = ["sh"];
  }

  const nginx = (imageName, imageVersion) => class extends Userland {
    static imageName = imageName;
    static imageVersion = imageVersion;
    defaultCommand = ["nginx"];
    async exec(ctx, argv) {
      if (argv[0] !== "nginx") return await super.exec(ctx, argv);
      ctx.fs.write("/usr/share/nginx/html/", "");
      ctx.fs.write("/usr/share/nginx/html/index.html", "<h1>Welcome to nginx!</h1>\n");
      serve(ctx, 80, "/usr/share/nginx/html");
      return await ctx.waitUntilKilled();
    }
  };

  return [Busybox, nginx("nginx", "1.27"), nginx("sun2010wg/my-nginx", "v2")];
}
