// newsdesk: the command-line client. See cli/cli.h.
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return newsdesk::cli::Run(args, std::cout, std::cerr);
}
