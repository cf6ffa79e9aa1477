// The newsdesk command-line client: ingests files or folders and runs
// queries against the two services, printing a table or JSON. Kept apart
// from main() so tests can run it against in-process servers.
#ifndef CLI_CLI_H_
#define CLI_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace newsdesk::cli {

// Runs one command. `args` excludes the program name. Returns the process
// exit code: 0 on success, 1 when a call failed, 2 on a usage error.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace newsdesk::cli

#endif  // CLI_CLI_H_
