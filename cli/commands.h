// Subcommands of the ggufcheck CLI. Each takes the arguments after its name
// and returns the process exit code. Exit codes (a contract other tools read):
//   0 ok / healthy, 1 unusable input or bad usage, 2 error findings, 3 damaged (compare).
#pragma once

int cmd_inspect(int argc, char ** argv);
int cmd_compare(int argc, char ** argv);
int cmd_report(int argc, char ** argv);
int cmd_ppl(int argc, char ** argv);
int cmd_tokenize(int argc, char ** argv);
int cmd_dequant(int argc, char ** argv);
int cmd_bench(int argc, char ** argv);
