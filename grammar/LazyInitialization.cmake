# Removes the static initializer ANTLR 4.9 generates for the lexer's and the
# parser's shared tables (`X::Initializer X::_init;`), so that they are
# built on first use (X::initializeOnce, declared in Strata.g4) instead of
# when any strata command starts. Fails loudly when the generated code does
# not have exactly one such line: the tables must never be built twice.
#   cmake -DFILES=a.cpp,b.cpp -P LazyInitialization.cmake
string(REPLACE "," ";" FILES "${FILES}")
foreach(F IN LISTS FILES)
  file(READ "${F}" Text)
  # (Matched without its `;`, which would split the list of matches.)
  string(REGEX MATCHALL "\n[A-Za-z]+::Initializer [A-Za-z]+::_init" Found "${Text}")
  list(LENGTH Found Count)
  if(NOT Count EQUAL 1)
    message(FATAL_ERROR "${F}: expected one static `Initializer ... _init;`, found ${Count}")
  endif()
  string(REGEX REPLACE "\n([A-Za-z]+)::Initializer [A-Za-z]+::_init;\n"
         "\n// The tables are built by \\1::initializeOnce (LazyInitialization.cmake).\n"
         Text "${Text}")
  file(WRITE "${F}" "${Text}")
endforeach()
