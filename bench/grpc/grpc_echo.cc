// grpc_echo.cc - grpc-echo: the gRPC C++ peer for PMIF's read benchmarks.
//
//   grpc-echo server ADDR                 a synchronous unary Echo service
//   grpc-echo latency ADDR --req B --rep B [--n N]
//   grpc-echo tput ADDR --req B --rep B --clients 1,8,32,128 [--seconds S]
//                  [--warmup S] [--pid SERVER_PID]
//
// Payloads carry as many bytes as the PMIF frames they stand beside (B is
// the sealed frame size pmif-bench measured).  The channel is plaintext
// HTTP/2 on loopback (no TLS), so gRPC pays no crypto here while PMIF
// does.  Results are "name=... key=value" lines like pmif-bench's.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>

#include "echo.grpc.pb.h"

namespace {

double now_us()
{
	using namespace std::chrono;
	return duration<double, std::micro>(steady_clock::now().time_since_epoch()).count();
}

double pct(std::vector<double> &v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	size_t rank = (size_t)(p / 100.0 * (double)v.size() + 0.999999);
	rank = std::max<size_t>(1, std::min(rank, v.size()));
	return v[rank - 1];
}

const char *opt(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (std::strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return dflt;
}

// utime + stime of a process, in clock ticks (0 if unreadable).
unsigned long long cpu_ticks(pid_t pid)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
	std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
	size_t close = s.rfind(')');
	if (close == std::string::npos)
		return 0;
	std::istringstream in(s.substr(close + 2));
	std::string field;
	unsigned long long ut = 0, st = 0;
	for (int i = 3; i <= 15 && in >> field; i++) {
		if (i == 14)
			ut = std::strtoull(field.c_str(), nullptr, 10);
		if (i == 15)
			st = std::strtoull(field.c_str(), nullptr, 10);
	}
	return ut + st;
}

class EchoImpl final : public pmifbench::Echo::Service {
	grpc::Status Echo(grpc::ServerContext *, const pmifbench::EchoRequest *req,
	                  pmifbench::EchoReply *rep) override
	{
		rep->mutable_payload()->assign(std::min<uint32_t>(req->reply_size(), 4u << 20), 'r');
		return grpc::Status::OK;
	}
};

int serve(const std::string &addr)
{
	sigset_t sigs;
	int sig;
	EchoImpl service;
	grpc::ServerBuilder b;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
	b.AddListeningPort(addr, grpc::InsecureServerCredentials());
	b.RegisterService(&service);
	std::unique_ptr<grpc::Server> server = b.BuildAndStart();
	if (!server) {
		std::fprintf(stderr, "grpc-echo: cannot listen on %s\n", addr.c_str());
		return 1;
	}
	while (sigwait(&sigs, &sig) != 0)
		;
	server->Shutdown();
	return 0;
}

std::unique_ptr<pmifbench::Echo::Stub> stub_for(const std::string &addr, int id)
{
	grpc::ChannelArguments args;
	args.SetInt("pmifbench.channel", id); // a distinct connection per client
	return pmifbench::Echo::NewStub(
	    grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
}

bool call(pmifbench::Echo::Stub &stub, const pmifbench::EchoRequest &req)
{
	grpc::ClientContext ctx;
	pmifbench::EchoReply rep;
	return stub.Echo(&ctx, req, &rep).ok();
}

int latency(const std::string &addr, size_t reqb, size_t repb, unsigned n)
{
	auto stub = stub_for(addr, 0);
	pmifbench::EchoRequest req;
	std::vector<double> s;

	req.set_payload(std::string(reqb, 'q'));
	req.set_reply_size((uint32_t)repb);
	for (unsigned i = 0; i < n / 5 + 10; i++)
		if (!call(*stub, req)) {
			std::fprintf(stderr, "grpc-echo: no answer from %s\n", addr.c_str());
			return 1;
		}
	for (unsigned i = 0; i < n; i++) {
		double t0 = now_us();
		if (!call(*stub, req))
			return 1;
		s.push_back(now_us() - t0);
	}
	std::printf("name=grpc.latency req_bytes=%zu rep_bytes=%zu n=%zu median_us=%.1f "
	            "p99_us=%.1f\n",
	            reqb, repb, s.size(), pct(s, 50), pct(s, 99));
	return 0;
}

int tput(const std::string &addr, size_t reqb, size_t repb, unsigned clients, double warm,
         double secs, pid_t pid)
{
	std::atomic<int> phase{0};
	std::vector<std::thread> threads;
	std::vector<std::vector<double>> lat(clients);
	std::vector<unsigned long long> ok(clients, 0);
	std::atomic<unsigned> failed{0};

	for (unsigned i = 0; i < clients; i++) {
		threads.emplace_back([&, i] {
			auto stub = stub_for(addr, (int)i + 1);
			pmifbench::EchoRequest req;
			req.set_payload(std::string(reqb, 'q'));
			req.set_reply_size((uint32_t)repb);
			while (phase.load() != 2) {
				double t0 = now_us();
				if (!call(*stub, req)) {
					failed++;
					break;
				}
				if (phase.load() == 1) {
					ok[i]++;
					lat[i].push_back(now_us() - t0);
				}
			}
		});
	}
	std::this_thread::sleep_for(std::chrono::duration<double>(warm));
	unsigned long long c0 = pid > 0 ? cpu_ticks(pid) : 0;
	double t0 = now_us();
	phase = 1;
	std::this_thread::sleep_for(std::chrono::duration<double>(secs));
	phase = 2;
	double t1 = now_us();
	unsigned long long c1 = pid > 0 ? cpu_ticks(pid) : 0;
	for (auto &t : threads)
		t.join();
	std::vector<double> all;
	unsigned long long total = 0;
	for (unsigned i = 0; i < clients; i++) {
		total += ok[i];
		all.insert(all.end(), lat[i].begin(), lat[i].end());
	}
	double wall = (t1 - t0) / 1e6;
	std::printf("name=grpc.tput clients=%u req_bytes=%zu rep_bytes=%zu ops_per_s=%.0f "
	            "median_us=%.1f p99_us=%.1f failed_threads=%u server_cpu=%.2f\n",
	            clients, reqb, repb, total / wall, pct(all, 50), pct(all, 99), failed.load(),
	            pid > 0 ? (double)(c1 - c0) / (double)sysconf(_SC_CLK_TCK) / wall : 0.0);
	std::fflush(stdout);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc >= 3 && std::strcmp(argv[1], "server") == 0)
		return serve(argv[2]);
	if (argc >= 3) {
		size_t reqb = std::strtoul(opt(argc, argv, "--req", "64"), nullptr, 10);
		size_t repb = std::strtoul(opt(argc, argv, "--rep", "64"), nullptr, 10);
		if (std::strcmp(argv[1], "latency") == 0)
			return latency(argv[2], reqb, repb,
			               (unsigned)std::atoi(opt(argc, argv, "--n", "5000")));
		if (std::strcmp(argv[1], "tput") == 0) {
			double secs = std::atof(opt(argc, argv, "--seconds", "3"));
			double warm = std::atof(opt(argc, argv, "--warmup", "0.5"));
			pid_t pid = (pid_t)std::atoi(opt(argc, argv, "--pid", "0"));
			std::string list = opt(argc, argv, "--clients", "1,8,32,128");
			std::istringstream in(list);
			std::string item;
			while (std::getline(in, item, ','))
				if (std::atoi(item.c_str()) > 0 &&
				    tput(argv[2], reqb, repb, (unsigned)std::atoi(item.c_str()), warm, secs,
				         pid) != 0)
					return 1;
			return 0;
		}
	}
	std::fprintf(stderr, "usage: grpc-echo server ADDR | latency ADDR --req B --rep B [--n N] "
	                     "| tput ADDR --req B --rep B --clients LIST [--seconds S] [--warmup S] "
	                     "[--pid PID]\n");
	return 2;
}
