# table.awk - turn pmif-bench's "name=... key=value" lines (each tagged
# sched=default|pinned by run.sh) into the one Markdown table of
# docs/BENCHMARKS.md: benchmark | scheduling | PMIF | floor or peer |
# ratio | goal | result.  Ratios and verdicts are computed here from the
# measured values; nothing is a constant but the goals of issue #7.

function parse(line,    rest, k, v, m) {
	delete F
	rest = line
	while (match(rest, /[a-z_0-9.]+=("[^"]*"|[^ ]*)/)) {
		m = substr(rest, RSTART, RLENGTH)
		k = substr(m, 1, index(m, "=") - 1)
		v = substr(m, index(m, "=") + 1)
		gsub(/^"|"$/, "", v)
		F[k] = v
		rest = substr(rest, RSTART + RLENGTH)
	}
}

function us(x) {
	if (x == "") return "?"
	if (x + 0 >= 10000) return sprintf("%.1f ms", x / 1000)
	return sprintf("%.0f µs", x)
}

function lat(m, p) { return us(m) " / " us(p) }

function num(x,    s, neg) {
	x = sprintf("%.0f", x)
	s = ""
	while (length(x) > 3) { s = "," substr(x, length(x) - 2) s; x = substr(x, 1, length(x) - 3) }
	return x s
}

function row(bench, sched, pmif, peer, ratio, goal, result) {
	printf "| %s | %s | %s | %s | %s | %s | %s |\n", bench, sched, pmif, peer, ratio, goal, result
}

function verdict(ok) { return ok ? "**pass**" : "**FAIL**" }

{
	parse($0)
	s = F["sched"]; n = F["name"]
	if (!(s in seen)) { seen[s] = 1; order[++nsched] = s }
	key = n
	if (("method" in F) && (n == "read.latency" || n == "tput.read")) key = key "|" F["method"]
	if ("clients" in F) key = key "|" F["clients"]
	if ("objective" in F) {
		key = key "|" F["objective"]
		if (!((s, F["objective"]) in rsz)) { rsz[s, F["objective"]] = 1; rslist[s] = rslist[s] " " F["objective"] }
	}
	if (n == "tput.write") wm[s] = F["method"]
	for (k in F) V[s, key, k] = F[k]
	if (n == "tput.read" || n == "tput.write") counts[s, n, F["clients"]] = 1
	if (n == "tput.read") tm[s, F["clients"]] = F["method"]
	if (n == "read.latency") { if (!((s, F["method"]) in rl)) { rl[s, F["method"]] = 1; rlist[s] = rlist[s] " " F["method"] } }
}

END {
	print "| benchmark | scheduling | PMIF median / p99 (or rate) | floor or peer | ratio | goal | result |"
	print "|---|---|---|---|---|---|---|"
	for (i = 1; i <= nsched; i++) {
		s = order[i]
		sl = s == "pinned" ? "pinned (taskset -c 0)" : "default"
		# read latency, table-driven
		nm = split(rlist[s], ms, " ")
		for (j = 1; j <= nm; j++) {
			m = ms[j]; k = "read.latency|" m
			what = V[s, k, "what"]
			if (V[s, k, "status"] != "ok") {
				row("read latency: " what " (" m ")", sl, "n/a", "", "", "≤ 1.3× echo floor", "n/a: " V[s, k, "reason"])
				continue
			}
			r = V[s, k, "median_us"] / V[s, k, "floor_median_us"]
			row("read latency: " what " (" m ", " V[s, k, "req_bytes"] "/" V[s, k, "rep_bytes"] " B)", sl,
			    lat(V[s, k, "median_us"], V[s, k, "p99_us"]),
			    "echo " lat(V[s, k, "floor_median_us"], V[s, k, "floor_p99_us"]),
			    sprintf("%.2f×", r), "median ≤ 1.3× echo floor", verdict(r <= 1.3))
			if (m == "WhoAmI") {
				g = "grpc.latency"
				if ((s, g, "median_us") in V) {
					r = V[s, k, "median_us"] / V[s, g, "median_us"]
					row("read latency: " what " vs gRPC unary echo", sl,
					    lat(V[s, k, "median_us"], V[s, k, "p99_us"]),
					    "gRPC " lat(V[s, g, "median_us"], V[s, g, "p99_us"]),
					    sprintf("%.2f×", r), "≥ 2× faster (≤ 0.50×)", verdict(r <= 0.5))
				} else {
					row("read latency: " what " vs gRPC unary echo", sl, lat(V[s, k, "median_us"], V[s, k, "p99_us"]),
					    "skipped", "", "≥ 2× faster (≤ 0.50×)", "n/a: " V[s, "grpc.skipped", "reason"])
				}
			}
		}
		# read throughput
		for (c = 1; c <= 1024; c++) {
			if (!((s, "tput.read", c) in counts)) continue
			k = "tput.read|" tm[s, c] "|" c
			r = V[s, k, "ratio"] + 0
			used = V[s, k, "server_cpu"] + V[s, k, "client_cpu"]
			pm = num(V[s, k, "ops_per_s"]) " ops/s (p99 " us(V[s, k, "p99_us"]) "; server " V[s, k, "server_cpu"] " + client " V[s, k, "client_cpu"] " cores, others " V[s, k, "others_cores"] "; server " V[s, k, "server_us_per_op"] " µs CPU/op)"
			pe = "echo " num(V[s, k, "floor_ops_per_s"]) " ops/s (p99 " us(V[s, k, "floor_p99_us"]) "; server " V[s, k, "floor_server_us_per_op"] " µs CPU/op)"
			if (c >= 32) {
				ok = r >= 0.8 && (s == "pinned" || used >= 1.6)
				row("read throughput, " c " clients (" tm[s, c] ")", sl, pm, pe, sprintf("%.2f×", r),
				    s == "pinned" ? "≥ 0.8× echo floor" : "≥ 0.8× echo floor, both cores used (server + client ≥ 1.6)", verdict(ok))
			} else {
				row("read throughput, " c " clients (" tm[s, c] ")", sl, pm, pe, sprintf("%.2f×", r), "(32+ clients only)", "info")
			}
			g = "grpc.tput|" c
			if ((s, g, "ops_per_s") in V)
				row("read throughput vs gRPC, " c " clients", sl, num(V[s, k, "ops_per_s"]) " ops/s",
				    "gRPC " num(V[s, g, "ops_per_s"]) " ops/s (p99 " us(V[s, g, "p99_us"]) ")",
				    sprintf("%.2f×", V[s, k, "ops_per_s"] / V[s, g, "ops_per_s"]), "(no goal)", "info")
		}
		# durable writes
		lc = V[s, "lmdb.commit", "commits_per_s"]
		if (lc != "")
			row("LMDB alone, standalone run: one durable commit per write; a read", sl,
			    "", num(lc) " commits/s (" lat(V[s, "lmdb.commit", "median_us"], V[s, "lmdb.commit", "p99_us"]) "); read txn + get " V[s, "lmdb.read", "mean_us"] " µs", "", "(floors)", "info")
		for (c = 1; c <= 1024; c++) {
			if (!((s, "tput.write", c) in counts)) continue
			k = "tput.write|" c
			lost = V[s, k, "lost"] + 0
			delta_ok = V[s, k, "audit_delta"] + 0 == V[s, k, "acks"] + 0
			lc = V[s, k, "lmdb_commits_per_s"]
			r = V[s, k, "ratio"] + 0
			pm = num(V[s, k, "ops_per_s"]) " writes/s (p99 " us(V[s, k, "p99_us"]) "; " V[s, k, "acks_per_commit"] " writes/commit, " V[s, k, "kib_per_commit"] " KiB written/commit; acks " V[s, k, "acks"] ", audit +" V[s, k, "audit_delta"] ", lost " lost ")"
			pe = "LMDB " num(lc) " commits/s (" lat(V[s, k, "lmdb_median_us"], V[s, k, "lmdb_p99_us"]) ", " V[s, k, "lmdb_kib_per_commit"] " KiB/commit)"
			if (c >= 32)
				row("durable writes (" wm[s] "), " c " writers", sl, pm, pe, sprintf("%.1f×", r),
				    "≥ 10× single-commit, 0 lost acks", verdict(r >= 10 && lost == 0 && delta_ok))
			else
				row("durable writes (" wm[s] "), " c " writers", sl, pm, pe, sprintf("%.1f×", r),
				    "0 lost acks", verdict(lost == 0 && delta_ok))
		}
		for (c = 1; c <= 1024; c++) {
			k = "crash.write|" c
			if (!((s, k, "acks") in V)) continue
			row("SIGKILL during " c " writers: acked writes present afterwards", sl,
			    V[s, k, "verified"] " of " V[s, k, "acks"] " acked present (audit +" V[s, k, "audit_delta"] ")", "", "",
			    "0 lost acks", verdict(V[s, k, "lost"] + 0 == 0 && V[s, k, "acks"] + 0 > 0))
		}
		if ((s, "check", "entries") in V)
			row("audit chain after the run (pmifd check)", sl, V[s, "check", "status"] ": " num(V[s, "check", "entries"]) " entries", "", "", "intact", verdict(V[s, "check", "status"] == "intact"))
		# CSV import
		sq = V[s, "csv.sqlite", "values_per_s"]; sqn = sq + 0
		sqc = sq != "" ? "sqlite3 " num(sq) " values/s (" num(V[s, "csv.sqlite", "rows"]) " rows, " V[s, "csv.sqlite", "seconds"] " s)" : "sqlite3 " V[s, "csv.sqlite", "status"]
		if (V[s, "csv.pmif", "status"] == "ok") {
			pv = V[s, "csv.pmif", "values_per_s"] + 0
			wf = V[s, "csv.pmif", "whole_file_refused"]
			row("CSV import (" num(V[s, "csv.pmif", "rows"]) " rows" (wf != "" ? " in " V[s, "csv.pmif", "chunks"] " requests: one was refused: " wf : ", one request") ")", sl, num(pv) " values/s", sqc,
			    sqn > 0 ? sprintf("%.2f×", pv / sqn) : "", "≥ 250,000 values/s and faster than sqlite3", verdict(pv >= 250000 && pv > sqn))
		} else {
			row("CSV import (" num(V[s, "csv.pmif", "rows"]) " rows)", sl, "n/a", sqc, "",
			    "≥ 250,000 values/s and faster than sqlite3", "n/a: " V[s, "csv.pmif", "reason"])
		}
		# scorecard time against size
		nr = split(rslist[s], rs, " ")
		if (nr == 0)
			row("scorecard time vs framework size", sl, "n/a", "", "", "10,000 measures < 100 ms server time, growth ≤ linear",
			    "n/a: " V[s, "report.scorecard", "reason"])
		mid = ""; big = ""
		for (j = 1; j <= nr; j++) {
			k = "report.scorecard|" rs[j]
			if (V[s, k, "status"] != "ok") {
				row("scorecard, " rs[j], sl, "n/a", "", "", "", "n/a: " V[s, k, "reason"]); continue
			}
			nmeas = V[s, k, "measures"] + 0
			if (rs[j] != "all" && nmeas >= 900 && nmeas <= 1100) mid = k
			if (rs[j] == "all") big = k
			line = "server " lat(V[s, k, "server_median_us"], V[s, k, "server_p99_us"])
			if (rs[j] != "all") {
				row("scorecard, objective " rs[j] " (" num(nmeas) " generated measures)", sl, line,
				    "round trip " us(V[s, k, "rtt_median_us"]) ", " num(V[s, k, "rep_bytes"]) " B", "", "(size series)", "info")
				continue
			}
			ok = V[s, k, "server_median_us"] + 0 < 100000
			ratio = ""
			if (mid != "") {
				gt = V[s, k, "server_median_us"] / V[s, mid, "server_median_us"]
				gn = V[s, k, "measures"] / V[s, mid, "measures"]
				ratio = sprintf("%.1f× time for %.1f× measures", gt, gn)
				ok = ok && gt <= 1.25 * gn
			}
			row("scorecard, whole framework (" num(nmeas) " generated measures + the base's)", sl, line,
			    "round trip " us(V[s, k, "rtt_median_us"]) ", " num(V[s, k, "rep_bytes"]) " B", ratio,
			    "< 100 ms server time, growth ≤ linear (vs the 1,000 point)", verdict(ok))
		}
		# handshake
		k = "handshake.hello"
		row("HELLO/WELCOME round trip (Noise_NX handshake)", sl, lat(V[s, k, "median_us"], V[s, k, "p99_us"]),
		    "echo " lat(V[s, "floor.latency", "median_us"], V[s, "floor.latency", "p99_us"]), "", "(no goal)", "info")
		k = "handshake.login"
		row("fresh channel + Login (scrypt N=2^17)", sl, lat(V[s, k, "median_us"], V[s, k, "p99_us"]), "", "", "(no goal)", "info (n=" V[s, k, "n"] ")")
		# memory
		k = "rss.idle"
		other = V[s, k, "other_kb"] / 1024
		row("server RSS idle after start", sl, sprintf("%.1f MB (LMDB map resident %.1f MB)", V[s, k, "rss_kb"] / 1024, V[s, k, "map_kb"] / 1024),
		    "", "", "≤ 20 MB + map's resident pages", verdict(other <= 20))
		k = "rss.load"
		if ((s, k, "before_kb") in V) {
			b = V[s, k, "before_kb"] + 0; a = V[s, k, "after_kb"] + 0
			row("server RSS: before / peak under / after the throughput load", sl,
			    sprintf("%.1f / %.1f / %.1f MB (map %.1f → %.1f MB)", b / 1024, V[s, k, "peak_kb"] / 1024, a / 1024,
			            V[s, k, "before_map_kb"] / 1024, V[s, k, "after_map_kb"] / 1024),
			    "", sprintf("%.2f×", a / b), "(goal is for a 1M-value load)", "info")
		}
		k = "rss.import"
		if (((s, k, "rss_kb") in V) && V[s, "rss.preimport", "rss_kb"] + 0 > 0) {
			b = V[s, "rss.preimport", "rss_kb"] + 0; a = V[s, k, "rss_kb"] + 0
			row("server RSS after the " num(V[s, "csv.pmif", "rows"]) "-value import vs before", sl,
			    sprintf("%.1f → %.1f MB (map %.1f → %.1f MB)", b / 1024, a / 1024, V[s, "rss.preimport", "map_kb"] / 1024, V[s, k, "map_kb"] / 1024), "",
			    sprintf("%.2f×", a / b), "within 10% of before",
			    V[s, "csv.pmif", "status"] == "ok" ? verdict(a <= b * 1.1) : "n/a: the import did not run")
		} else {
			row("server RSS after a 1M-value load vs before", sl, "n/a", "", "", "within 10% of before", "n/a: needs ValueImport")
		}
	}
}
