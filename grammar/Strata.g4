// The Strata language: schema files (*.strata) and migration files (*.mig).
//
// One grammar serves both kinds of file; which items a file may hold is
// checked after parsing, so that a misplaced item gets a precise diagnostic
// instead of a generic syntax error. Rule bodies use IQL's own syntax.
//
// Expressions are written as flat operator chains (no left recursion) so the
// parse tree depth is bounded by bracket nesting, which the parser library
// limits before parsing.
grammar Strata;

// The runtime's lexer takes a reader lock on its shared DFA for every input
// character, which is a third of lexing time. Strata lexes on one thread at
// a time, so the parser library swaps in a simulator that reads the DFA
// without the lock (the DFA is still built and written by the runtime).
@lexer::members {
  /// Call once after construction, before lexing. Not for a lexer that may
  /// run while another thread lexes Strata text.
  void useUnlockedDfa();
  /// Builds the shared ATN and DFA tables; call before the first lexer is
  /// constructed. The runtime would build them when the program starts,
  /// which costs every command a few milliseconds (grammar/CMakeLists.txt
  /// removes that static initializer).
  static void initializeOnce();
}

@lexer::definitions {
namespace {
class UnlockedLexerATNSimulator : public antlr4::atn::LexerATNSimulator {
public:
  using antlr4::atn::LexerATNSimulator::LexerATNSimulator;

protected:
  antlr4::dfa::DFAState *getExistingTargetState(antlr4::dfa::DFAState *S,
                                                size_t T) override {
    if (T > MAX_DFA_EDGE)
      return nullptr;
    auto It = S->edges.find(T - MIN_DFA_EDGE);
    return It == S->edges.end() ? nullptr : It->second;
  }
};
} // namespace

void StrataLexer::initializeOnce() { static Initializer Once; }

void StrataLexer::useUnlockedDfa() {
  delete _interpreter;
  _interpreter = new UnlockedLexerATNSimulator(this, _atn, _decisionToDFA,
                                               _sharedContextCache);
}
}

// The same for the parser's prediction DFA.
@parser::members {
  /// Call once after construction, before parsing; see useUnlockedDfa above.
  void useUnlockedDfa();
  /// See StrataLexer::initializeOnce.
  static void initializeOnce();
  /// Frees every parse tree built so far. The runtime keeps each context
  /// until the parser is reset or destroyed; a caller that parses one item
  /// at a time and is done with it calls this to keep memory bounded by
  /// the largest item instead of the file.
  void releaseParseTrees() { _tracker.reset(); }

  // The runtime finds a context's parent with dynamic_cast<ParserRuleContext
  // *> on every rule entry, alternative and exit: a fifth of all parsing
  // instructions. Every parent in a parse tree is a ParserRuleContext (the
  // runtime creates no other), so these do what the runtime's own do
  // (ANTLR 4.9's Parser.cpp) with static_cast. exitRule is not virtual:
  // this one hides the runtime's for the generated rule functions, which
  // are its only callers.
  void addContextToParseTree() override;
  void enterOuterAlt(antlr4::ParserRuleContext *Ctx, size_t Alt) override;
  void exitRule();
}

@parser::definitions {
namespace {
class UnlockedParserATNSimulator : public antlr4::atn::ParserATNSimulator {
public:
  using antlr4::atn::ParserATNSimulator::ParserATNSimulator;

protected:
  antlr4::dfa::DFAState *getExistingTargetState(antlr4::dfa::DFAState *Previous,
                                                size_t T) override {
    auto It = Previous->edges.find(T);
    return It == Previous->edges.end() ? nullptr : It->second;
  }
};
} // namespace

void StrataParser::initializeOnce() { static Initializer Once; }

void StrataParser::addContextToParseTree() {
  if (_ctx->parent)
    static_cast<antlr4::ParserRuleContext *>(_ctx->parent)->addChild(_ctx);
}

void StrataParser::enterOuterAlt(antlr4::ParserRuleContext *Ctx, size_t Alt) {
  Ctx->setAltNumber(Alt);
  if (_buildParseTrees && _ctx != Ctx && _ctx->parent) {
    auto *Parent = static_cast<antlr4::ParserRuleContext *>(_ctx->parent);
    Parent->removeLastChild();
    Parent->addChild(Ctx);
  }
  _ctx = Ctx;
}

void StrataParser::exitRule() {
  // After EOF was matched the stream cannot move past it: LT(1) is EOF.
  _ctx->stop = _matchedEOF ? _input->LT(1) : _input->LT(-1);
  if (!_parseListeners.empty())
    triggerExitRuleEvent();
  setState(_ctx->invokingState);
  _ctx = static_cast<antlr4::ParserRuleContext *>(_ctx->parent);
}

void StrataParser::useUnlockedDfa() {
  delete _interpreter;
  _interpreter = new UnlockedParserATNSimulator(this, _atn, _decisionToDFA,
                                                _sharedContextCache);
}
}

// ===================================================================== parser

file : item* EOF ;

item
  : relationDecl
  | derivedDecl
  | indexDecl
  | migrationDecl
  ;

// ---- schema items

relationDecl : RELATION name renamedFrom? columns ;

derivedDecl : DERIVED name renamedFrom? columnList ruleBody ;

indexDecl : indexSpec ;

indexSpec : INDEX name ON name LPAREN name RPAREN HNSW indexOptions? ;

indexOptions : LPAREN (indexOption (COMMA indexOption)* COMMA?)? RPAREN ;

indexOption : name COLON optionValue ;

optionValue : name | INT | FLOAT ;

renamedFrom : RENAMED_FROM name ;

columns : columnList | columnBlock ;

columnList : LPAREN (column (COMMA column)* COMMA?)? RPAREN ;

columnBlock : LBRACE (column COMMA?)* RBRACE ;

column : name COLON typeExpr fillValue? renamedFrom? ;

fillValue : ASSIGN literal ;

typeExpr
  : name (LPAREN INT RPAREN)?                       # namedType
  | name LBRACK (typeExpr | INT) RBRACK             # bracketType
  | LBRACE (field (COMMA field)* COMMA?)? RBRACE    # recordType
  ;

field : name COLON typeExpr ;

// ---- rules (IQL clause syntax)

ruleBody : LBRACE clause* RBRACE ;

// `:-` and a final `.` are habits from other Datalogs: accepted here so the
// AST builder can report them precisely, without error recovery cascading.
clause : head ruleArrow bodyLiteral (COMMA bodyLiteral)* DOT? ;

ruleArrow : ARROW_LEFT | COLON MINUS ;

head : name LPAREN (headArg (COMMA headArg)*)? RPAREN ;

headArg
  : name LT aggregateArg (COMMA aggregateArg)* GT  # aggregateHeadArg
  | expr                                           # plainHeadArg
  ;

// `Score:desc` marks the order variable of a ranking aggregate.
aggregateArg : expr (COLON name)? ;

bodyLiteral
  : BANG atom               # negatedLiteral
  | atom                    # atomLiteral
  | expr compareOp expr     # comparisonLiteral
  ;

atom
  : name LPAREN (expr (COMMA expr)*)? RPAREN                  # positionalAtom
  | name LBRACE (namedArg (COMMA namedArg)* COMMA?)? RBRACE   # namedAtom
  ;

namedArg : name COLON expr ;

compareOp : ASSIGN | EQEQ | NEQ | LT | LE | GT | GE ;

// Operators are one flat chain; the AST builder applies precedence (* / %
// over + -). One context per expression instead of one per precedence
// level keeps the tree small and the parse fast.
expr : MINUS* primary ((PLUS | MINUS | STAR | SLASH | PERCENT) MINUS* primary)* ;

primary
  : constant                                    # constantPrimary
  | name LPAREN (expr (COMMA expr)*)? RPAREN    # callPrimary
  | name                                        # namePrimary
  | LPAREN expr RPAREN                          # parenPrimary
  | LBRACK (expr (COMMA expr)*)? RBRACK         # listPrimary
  ;

constant : INT | FLOAT | STRING ;

// A fill value or other literal outside rule bodies. Bare words are accepted
// here so that `true`/`false` work and other words get a precise diagnostic.
literal
  : constant                                          # constantLiteral
  | MINUS (INT | FLOAT)                               # negativeLiteral
  | LBRACK (literal (COMMA literal)* COMMA?)? RBRACK   # listLiteral
  | name                                              # wordLiteral
  ;

// ---- migrations

migrationDecl : MIGRATION migrationName LBRACE migrationItem* RBRACE ;

migrationName : MIGRATION_NAME | name ;

migrationItem
  : DEPENDS migrationName (COMMA migrationName)*   # dependsItem
  | REPLACES migrationName (COMMA migrationName)*  # replacesItem
  | operation                                      # operationItem
  ;

operation
  : CREATE RELATION name columns                                  # createRelation
  | DROP RELATION name columns                                    # dropRelation
  | RENAME RELATION name ARROW name                               # renameRelation
  | ADD COLUMN qualifiedName COLON typeExpr fillValue? columnPosition?   # addColumn
  | DROP COLUMN qualifiedName COLON typeExpr fillValue? columnPosition?  # dropColumn
  | RENAME COLUMN qualifiedName ARROW name                        # renameColumn
  | RETYPE COLUMN qualifiedName COLON typeExpr ARROW typeExpr
      castClause*                                                 # retypeColumn
  | REORDER COLUMNS name nameList ARROW nameList                  # reorderColumns
  | CREATE RULE name columnList ruleBody                          # createRule
  | DROP RULE name columnList ruleBody                            # dropRule
  | REPLACE RULE name ruleBody (WAS ruleBody)?                    # replaceRule
  | RENAME RULE name ARROW name                                   # renameRule
  | CREATE indexSpec                                              # createIndex
  | DROP indexSpec                                                # dropIndex
  | ALTER INDEX name HNSW indexOptions (WAS HNSW indexOptions)?   # alterIndex
  | RUN IQL LBRACE FORWARD iqlBlock (BACKWARD iqlBlock)? RBRACE   # runIql
  ;

qualifiedName : name DOT name ;

// The columns of a relation by name, in an order: `reorder columns` lists
// the order before and after, so that either direction reads from the text.
nameList : LPAREN (name (COMMA name)* COMMA?)? RPAREN ;

// Where a column stands: IQL atoms are positional, so `add column` may say
// where the column goes, and `drop column` where it stood (for reversal).
columnPosition : FIRST | AFTER name ;

// `using X => expr` casts an old value forward; `reverse X => expr` back.
castClause : (USING | REVERSE) name FAT_ARROW expr ;

// Raw IQL: any balanced token sequence; the text between the braces is kept
// verbatim by the AST builder.
iqlBlock : LBRACE iqlToken* RBRACE ;

iqlToken : LBRACE iqlToken* RBRACE | ~(LBRACE | RBRACE) ;

// Keywords are soft: they may also be used as names.
name
  : IDENT
  | RELATION | DERIVED | INDEX | ON | HNSW | RENAMED_FROM | MIGRATION
  | DEPENDS | REPLACES | CREATE | DROP | RENAME | ADD | RETYPE | REPLACE
  | ALTER | RUN | IQL | FORWARD | BACKWARD | COLUMN | RULE | WAS | USING
  | REVERSE | FIRST | AFTER | REORDER | COLUMNS
  ;

// ====================================================================== lexer

RELATION     : 'relation' ;
DERIVED      : 'derived' ;
INDEX        : 'index' ;
ON           : 'on' ;
HNSW         : 'hnsw' ;
RENAMED_FROM : 'renamed_from' ;
MIGRATION    : 'migration' ;
DEPENDS      : 'depends' ;
REPLACES     : 'replaces' ;
CREATE       : 'create' ;
DROP         : 'drop' ;
RENAME       : 'rename' ;
ADD          : 'add' ;
RETYPE       : 'retype' ;
REPLACE      : 'replace' ;
ALTER        : 'alter' ;
RUN          : 'run' ;
IQL          : 'iql' ;
FORWARD      : 'forward' ;
BACKWARD     : 'backward' ;
COLUMN       : 'column' ;
RULE         : 'rule' ;
WAS          : 'was' ;
USING        : 'using' ;
REVERSE      : 'reverse' ;
FIRST        : 'first' ;
AFTER        : 'after' ;
REORDER      : 'reorder' ;
COLUMNS      : 'columns' ;

ARROW_LEFT : '<-' ;
ARROW      : '->' ;
FAT_ARROW  : '=>' ;
EQEQ       : '==' ;
NEQ        : '!=' ;
LE         : '<=' ;
GE         : '>=' ;
LT         : '<' ;
GT         : '>' ;
ASSIGN     : '=' ;
BANG       : '!' ;
PLUS       : '+' ;
MINUS      : '-' ;
STAR       : '*' ;
SLASH      : '/' ;
PERCENT    : '%' ;
LPAREN     : '(' ;
RPAREN     : ')' ;
LBRACE     : '{' ;
RBRACE     : '}' ;
LBRACK     : '[' ;
RBRACK     : ']' ;
COMMA      : ',' ;
COLON      : ':' ;
DOT        : '.' ;
QUESTION   : '?' ;

// A migration name such as 0002_add_department; longer than INT so it wins.
MIGRATION_NAME : DIGIT+ '_' [A-Za-z0-9_]* ;
FLOAT          : DIGIT+ '.' DIGIT+ ([eE] [+-]? DIGIT+)? | DIGIT+ [eE] [+-]? DIGIT+ ;
INT            : DIGIT+ ;
IDENT          : [A-Za-z_] [A-Za-z0-9_]* ;

STRING              : '"' (ESCAPE | ~["\\\r\n])* '"' ;
// An unclosed string stops at the end of its line; the parser library turns
// it into a precise diagnostic.
UNTERMINATED_STRING : '"' (ESCAPE | ~["\\\r\n])* ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
// Also matches an unclosed comment up to the end of input, which the parser
// library reports.
BLOCK_COMMENT : '/*' .*? ('*/' | EOF) -> channel(HIDDEN) ;

WS : [ \t\r\n\f]+ -> skip ;

// Anything else becomes one token so that raw IQL blocks can carry it and the
// parser reports it precisely everywhere else.
UNKNOWN_CHAR : . ;

fragment DIGIT  : [0-9] ;
// A backslash escapes one character on the same line.
fragment ESCAPE : '\\' ~[\r\n] ;
