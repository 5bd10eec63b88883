//===- Engine.cpp - The graphs an engine holds ------------------------------===//
#include "strata/Engine/Engine.h"
#include "Store.h"

using namespace strata::engine;

Engine::Engine() : TheStore(std::make_unique<Store>()) { TheStore->Graphs["default"]; }
Engine::~Engine() = default;
Engine::Engine(Engine &&) noexcept = default;
Engine &Engine::operator=(Engine &&) noexcept = default;

std::vector<std::string> Engine::graphNames() const {
  std::vector<std::string> Names;
  for (const auto &G : TheStore->Graphs)
    Names.push_back(G.first);
  return Names;
}

bool Engine::hasGraph(llvm::StringRef Name) const { return TheStore->Graphs.count(Name.str()) > 0; }
