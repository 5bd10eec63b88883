//===- Progress.cpp - Plain, terminal and JSON reports of a run ------------===//
#include "Progress.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <sys/ioctl.h>
#include <thread>
#include <unistd.h>

using namespace strata;
using namespace strata::driver;
using namespace strata::exec;
using Clock = std::chrono::steady_clock;

namespace {
double secondsSince(Clock::time_point Start) {
  return std::chrono::duration<double>(Clock::now() - Start).count();
}

/// 1234567 -> "1,234,567".
std::string grouped(uint64_t N) {
  std::string Digits = std::to_string(N), Out;
  for (size_t I = 0; I < Digits.size(); ++I) {
    if (I && (Digits.size() - I) % 3 == 0)
      Out += ',';
    Out += Digits[I];
  }
  return Out;
}

std::string secondsText(double S) {
  char Buf[32];
  snprintf(Buf, sizeof(Buf), S < 10 ? "%.1f s" : "%.0f s", S);
  return Buf;
}
} // namespace

std::string driver::stepSummary(const StepPosition &P) {
  std::string Out = "step " + std::to_string(P.Statement) + "/" + std::to_string(P.Statements) +
                    " " + stepPurposeName(P.Purpose).str();
  if (P.Direction.rfind("undo", 0) == 0)
    Out = "rollback " + Out;
  return Out + " of operation " + std::to_string(P.Operation) + "/" + std::to_string(P.Operations) +
         " (" + P.OperationText + ")";
}

std::optional<ProgressMode> driver::progressMode(Invocation &Inv, int &Exit) {
  std::string Mode = Inv.value("--progress").value_or("auto");
  if (Mode == "auto")
    return ::isatty(STDOUT_FILENO) ? ProgressMode::Tty : ProgressMode::Plain;
  if (Mode == "none")
    return ProgressMode::Plain;
  if (Mode == "tty")
    return ProgressMode::Tty;
  if (Mode == "json")
    return ProgressMode::Json;
  Exit = Inv.usageError("`--progress` takes auto, tty, json or none, not `" + Mode + "`");
  return std::nullopt;
}

OptionSpec driver::progressOption() {
  return {"--progress", "MODE",
          "auto (default: tty on a terminal, else none), tty (a line redrawn in place "
          "per step), json (one object per line, docs/cli.md) or none"};
}

ProgressRenderer::~ProgressRenderer() = default;

namespace {
/// The lines a run always printed: `applying X ... ok`, nothing more.
class PlainRenderer : public ProgressRenderer {
public:
  PlainRenderer(bool Verbose, llvm::raw_ostream &OS) : Verbose(Verbose), OS(OS) {}

  void runStarted(const std::string &Target, bool Backward, size_t, const std::string &) override {
    OS << (Backward ? "reverting on " : "migrating ") << Target << '\n';
    OS.flush(); // before any diagnostic on stderr
  }
  void nothingToDo(const std::string &Target, bool Backward) override {
    OS << (Backward ? "nothing to revert on " : "no migrations to apply on ") << Target << '\n';
  }
  void notice(const std::string &Text) override { OS << Text << '\n'; }
  void runFinished(bool Ok, size_t) override {
    if (!Ok && LineOpen)
      OS << " FAILED\n";
    LineOpen = false;
    OS.flush();
  }

  void event(const ExecEvent &E) override {
    switch (E.TheKind) {
    case ExecEvent::Kind::Applying:
    case ExecEvent::Kind::Reverting:
    case ExecEvent::Kind::Resuming:
      OS << head(E);
      LineOpen = true;
      break;
    case ExecEvent::Kind::Applied:
    case ExecEvent::Kind::Reverted:
    case ExecEvent::Kind::Resumed:
    case ExecEvent::Kind::Faked:
      OS << (E.TheKind == ExecEvent::Kind::Faked ? " faked\n" : " ok\n");
      LineOpen = false;
      break;
    case ExecEvent::Kind::Statement:
      if (Verbose)
        OS << "\n  " << E.Text;
      break;
    default:
      break;
    }
    OS.flush();
  }

protected:
  /// `applying X ...`, the start of a migration's line.
  static std::string head(const ExecEvent &E) {
    if (E.TheKind == ExecEvent::Kind::Resuming)
      return "resuming " + E.Migration + " (" + E.Text + ") ...";
    return (E.TheKind == ExecEvent::Kind::Reverting ? "reverting " : "applying ") + E.Migration +
           " ...";
  }

  bool Verbose;
  llvm::raw_ostream &OS;
  bool LineOpen = false;
};
} // namespace

namespace {
/// The plain lines, and while a migration runs one line redrawn in place
/// by a ticker thread (the executor's thread waits on the target while a
/// long move runs), at most ten times a second. Events only change the
/// state; the ticker draws it.
class TtyRenderer : public PlainRenderer {
public:
  TtyRenderer(llvm::raw_ostream &OS) : PlainRenderer(false, OS), Ticker([this] { tick(); }) {}
  ~TtyRenderer() override {
    {
      std::lock_guard<std::mutex> L(M);
      Stopping = true;
    }
    Wake.notify_all();
    Ticker.join();
  }

  void runFinished(bool Ok, size_t) override {
    std::lock_guard<std::mutex> L(M);
    clearLine();
    if (!Ok && LineOpen)
      OS << Head << " FAILED\n";
    LineOpen = Live = false;
    OS.flush();
  }

  void event(const ExecEvent &E) override {
    std::lock_guard<std::mutex> L(M);
    switch (E.TheKind) {
    case ExecEvent::Kind::Applying:
    case ExecEvent::Kind::Reverting:
    case ExecEvent::Kind::Resuming:
      Head = head(E);
      PhaseText.clear();
      Place = E.Count ? " [" + std::to_string(E.Index) + "/" + std::to_string(E.Count) + "]" : "";
      MigrationStart = Clock::now();
      MigrationFacts = 0;
      LineOpen = true;
      Live = false;
      clearLine();
      draw(Head);
      return;
    case ExecEvent::Kind::Applied:
    case ExecEvent::Kind::Reverted:
    case ExecEvent::Kind::Resumed:
      clearLine();
      OS << Head << " ok (" << summary() << ")\n";
      LineOpen = false;
      Live = false;
      break;
    case ExecEvent::Kind::Faked:
      clearLine();
      OS << Head << " faked\n";
      LineOpen = false;
      break;
    case ExecEvent::Kind::StepStarted:
      PhaseText.clear();
      Step = E.Position;
      StepStart = Clock::now();
      Live = true;
      // A move is what takes long: it is named at once, not at the next
      // tick (there are few of them, so the line stays throttled).
      if (!Step.MovesFrom.empty())
        draw(liveLine());
      break;
    case ExecEvent::Kind::StepProgress:
      Step = E.Position;
      break;
    case ExecEvent::Kind::StepFinished:
      finishStep(E.Position);
      break;
    case ExecEvent::Kind::Phase:
      PhaseText = E.Text;
      PhaseOf = E.Migration;
      StepStart = Clock::now();
      Live = true;
      break;
    case ExecEvent::Kind::StepFailed:
      Live = false;
      if (LineOpen) {
        clearLine();
        OS << Head << " FAILED at " << stepSummary(E.Position) << '\n';
        LineOpen = false;
      }
      break;
    default:
      PlainRenderer::event(E);
      return;
    }
    OS.flush();
  }

private:
  void finishStep(const StepPosition &P) {
    Live = false;
    if (!P.FactsDone)
      return;
    double S = secondsSince(StepStart);
    MigrationFacts += *P.FactsDone;
    // Moves of a few facts say nothing about the rate of a big one.
    if (*P.FactsDone >= 1000 && S > 0) {
      RateFacts += *P.FactsDone;
      RateSeconds += S;
    }
  }

  std::string summary() const {
    std::string Out = secondsText(secondsSince(MigrationStart));
    if (MigrationFacts)
      Out = grouped(MigrationFacts) + " facts moved, " + Out;
    return Out;
  }

  /// The live line: where the run is, what the step moves, how long it
  /// has taken and, once a rate is known, how long it may still take.
  std::string liveLine() const {
    double S = secondsSince(StepStart);
    if (!PhaseText.empty()) {
      // Checks and the state file's write, between statements: a phase
      // before a migration's line opens names the migration itself.
      std::string Of = PhaseOf.empty() ? "" : " of " + PhaseOf;
      return (LineOpen ? Head + Place + " " + PhaseText : PhaseText + Of) + ", " + secondsText(S);
    }
    std::string Out = Head + Place + " " + stepSummary(Step);
    if (!Step.MovesFrom.empty()) {
      Out += ": moving ";
      Out += Step.FactsTotal ? grouped(*Step.FactsTotal) + " facts" : "the facts";
      Out += " of " + Step.MovesFrom;
      if (Step.Batches)
        Out += " in " + std::to_string(Step.Batches) + " batches, " + std::to_string(Step.Batch) +
               " done";
    }
    Out += ", " + secondsText(S);
    uint64_t InStep = Step.Batches && Step.FactsDone ? *Step.FactsDone : 0;
    if (MigrationFacts + InStep)
      Out += ", " + grouped(MigrationFacts + InStep) + " moved so far";
    // A batched move has a rate of its own once a batch is done; others
    // go by the moves before them.
    double Rate = InStep && S > 0   ? double(InStep) / S
                  : RateSeconds > 0 ? double(RateFacts) / RateSeconds
                                    : 0;
    if (Rate > 0) {
      Out += ", " + grouped(uint64_t(Rate)) + " facts/s";
      // Past the estimate there is nothing honest to say.
      double Left = 0;
      if (Step.FactsTotal && InStep)
        Left = double(*Step.FactsTotal - std::min(*Step.FactsTotal, InStep)) / Rate;
      else if (Step.FactsTotal)
        Left = double(*Step.FactsTotal) / Rate - S;
      if (Left >= 0.05)
        Out += ", ~" + secondsText(Left) + " left";
    }
    return Out;
  }

  static size_t width() {
    struct winsize W;
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &W) == 0 && W.ws_col > 1)
      return W.ws_col - 1;
    return 79;
  }

  /// Replaces the line with Text cut to the terminal (a wrapped line could
  /// not be redrawn), at a character boundary.
  void draw(std::string Text) {
    size_t Max = width();
    size_t Chars = 0, I = 0;
    for (; I < Text.size(); ++I)
      if ((Text[I] & 0xC0) != 0x80 && ++Chars > Max)
        break;
    Text.resize(I);
    OS << "\r" << Text << "\x1b[K";
    OS.flush();
    Drawn = true;
  }

  void clearLine() {
    if (Drawn)
      OS << "\r\x1b[K";
    Drawn = false;
  }

  void tick() {
    // Ctrl-C is for the run's thread (InterruptNotice), not this one.
    sigset_t Block;
    sigemptyset(&Block);
    sigaddset(&Block, SIGINT);
    sigaddset(&Block, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &Block, nullptr);
    std::unique_lock<std::mutex> L(M);
    while (!Stopping) {
      Wake.wait_for(L, std::chrono::milliseconds(100));
      if (!Stopping && Live)
        draw(liveLine());
    }
  }

  std::mutex M;
  std::condition_variable Wake;
  bool Stopping = false, Live = false, Drawn = false;
  std::string Head, Place, PhaseText, PhaseOf;
  StepPosition Step;
  Clock::time_point MigrationStart, StepStart;
  uint64_t MigrationFacts = 0, RateFacts = 0;
  double RateSeconds = 0;
  std::thread Ticker; // last: starts once the rest is built
};
} // namespace

namespace {
/// One JSON object per line (docs/cli.md, "Progress"), nothing else.
class JsonRenderer : public ProgressRenderer {
public:
  JsonRenderer(bool Verbose, llvm::raw_ostream &OS) : Verbose(Verbose), OS(OS) {}

  void runStarted(const std::string &Target, bool Backward, size_t Migrations,
                  const std::string &Resume) override {
    RunStart = Clock::now();
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "run_start");
      J.attribute("command", Backward ? "revert" : "migrate");
      J.attribute("target", Target);
      J.attribute("migrations", int64_t(Migrations));
      if (!Resume.empty())
        J.attribute("resume", Resume);
    });
  }
  void nothingToDo(const std::string &Target, bool Backward) override {
    runStarted(Target, Backward, 0, "");
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "run_end");
      J.attribute("status", "nothing_to_do");
      J.attribute("completed", 0);
      J.attribute("ms", ms(RunStart));
    });
  }
  void notice(const std::string &Text) override {
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "notice");
      J.attribute("text", Text);
    });
  }
  void runFinished(bool Ok, size_t Completed) override {
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "run_end");
      J.attribute("status", Ok ? "ok" : "failed");
      J.attribute("completed", int64_t(Completed));
      J.attribute("ms", ms(RunStart));
    });
  }

  void event(const ExecEvent &E) override {
    switch (E.TheKind) {
    case ExecEvent::Kind::Applying:
    case ExecEvent::Kind::Reverting:
    case ExecEvent::Kind::Resuming:
      return migrationStarted(E);
    case ExecEvent::Kind::Applied:
    case ExecEvent::Kind::Reverted:
    case ExecEvent::Kind::Resumed:
    case ExecEvent::Kind::Faked:
      return migrationEnded(E);
    case ExecEvent::Kind::StepStarted:
    case ExecEvent::Kind::StepProgress:
    case ExecEvent::Kind::StepFinished:
    case ExecEvent::Kind::StepFailed:
      return step(E);
    case ExecEvent::Kind::Statement:
      if (Verbose)
        line([&](llvm::json::OStream &J) {
          J.attribute("event", "statement");
          J.attribute("migration", E.Migration);
          J.attribute("text", E.Text);
        });
      return;
    case ExecEvent::Kind::Phase:
      line([&](llvm::json::OStream &J) {
        J.attribute("event", "phase");
        if (!E.Migration.empty())
          J.attribute("migration", E.Migration);
        J.attribute("phase", E.Text);
      });
      return;
    case ExecEvent::Kind::Replied:
      return;
    }
  }

private:
  /// Whole milliseconds (a double would print with every digit).
  static int64_t ms(Clock::time_point Start) { return int64_t(secondsSince(Start) * 1000); }

  void migrationStarted(const ExecEvent &E) {
    MigrationStart = Clock::now();
    MigrationFacts = 0;
    bool Resume = E.TheKind == ExecEvent::Kind::Resuming;
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "migration_start");
      J.attribute("migration", E.Migration);
      J.attribute("direction", Resume ? "resume" : E.Position.Direction);
      if (Resume) {
        J.attribute("where", E.Text);
        return;
      }
      J.attribute("index", int64_t(E.Index));
      J.attribute("of", int64_t(E.Count));
      J.attribute("operations", int64_t(E.Position.Operations));
      J.attribute("statements", int64_t(E.Position.Statements));
    });
  }

  void migrationEnded(const ExecEvent &E) {
    const char *Status = E.TheKind == ExecEvent::Kind::Applied    ? "applied"
                         : E.TheKind == ExecEvent::Kind::Reverted ? "reverted"
                         : E.TheKind == ExecEvent::Kind::Resumed  ? "resumed"
                                                                  : "faked";
    line([&](llvm::json::OStream &J) {
      J.attribute("event", "migration_end");
      J.attribute("migration", E.Migration);
      J.attribute("status", Status);
      J.attribute("facts_moved", int64_t(MigrationFacts));
      J.attribute("ms", ms(MigrationStart));
    });
  }

  void step(const ExecEvent &E) {
    const StepPosition &P = E.Position;
    const char *Name = E.TheKind == ExecEvent::Kind::StepStarted    ? "step_start"
                       : E.TheKind == ExecEvent::Kind::StepProgress ? "step_progress"
                       : E.TheKind == ExecEvent::Kind::StepFinished ? "step_end"
                                                                    : "step_failed";
    if (E.TheKind == ExecEvent::Kind::StepStarted)
      StepStart = Clock::now();
    if (E.TheKind == ExecEvent::Kind::StepFinished && P.FactsDone)
      MigrationFacts += *P.FactsDone;
    line([&](llvm::json::OStream &J) {
      J.attribute("event", Name);
      J.attribute("migration", E.Migration);
      J.attribute("direction", P.Direction);
      J.attribute("statement", int64_t(P.Statement));
      J.attribute("of", int64_t(P.Statements));
      J.attribute("operation", int64_t(P.Operation));
      J.attribute("operations", int64_t(P.Operations));
      J.attribute("operation_text", P.OperationText);
      J.attribute("purpose", stepPurposeName(P.Purpose));
      if (!P.MovesFrom.empty())
        J.attribute("moves_from", P.MovesFrom);
      if (P.FactsTotal)
        J.attribute("facts_total", int64_t(*P.FactsTotal));
      if (P.FactsDone)
        J.attribute("facts_done", int64_t(*P.FactsDone));
      if (P.Batches) {
        J.attribute("batch", int64_t(P.Batch));
        J.attribute("batches", int64_t(P.Batches));
      }
      if (E.TheKind != ExecEvent::Kind::StepStarted)
        J.attribute("ms", ms(StepStart));
      if (E.TheKind == ExecEvent::Kind::StepFailed)
        J.attribute("error", E.Text);
    });
  }

  /// Writes one object and flushes it: a build system reads lines as
  /// they come, and a run killed next has said where it was.
  template <typename Fn> void line(Fn &&Fields) {
    {
      llvm::json::OStream J(OS);
      J.object([&] { Fields(J); });
    }
    OS << '\n';
    OS.flush();
  }

  bool Verbose;
  llvm::raw_ostream &OS;
  Clock::time_point RunStart = Clock::now(), MigrationStart, StepStart;
  uint64_t MigrationFacts = 0;
};
} // namespace

std::unique_ptr<ProgressRenderer> driver::makeProgressRenderer(ProgressMode Mode, bool Verbose,
                                                               llvm::raw_ostream &OS) {
  if (Mode == ProgressMode::Json)
    return std::make_unique<JsonRenderer>(Verbose, OS);
  if (Mode == ProgressMode::Tty && !Verbose)
    return std::make_unique<TtyRenderer>(OS);
  return std::make_unique<PlainRenderer>(Verbose, OS);
}
