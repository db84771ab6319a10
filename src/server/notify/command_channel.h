// CommandChannel: runs a program (no shell: argv as configured) with the payload JSON on its
// stdin — seed 004's "restart the failed agent" pattern. The program gets `timeout` to finish;
// then it and its process group are killed. Its exit status and the tail of its stderr are the
// delivery's detail.
#pragma once

#include <string>
#include <vector>

#include "server/notify/channel.h"

namespace vitals::server {

class CommandChannel final : public Channel {
 public:
  CommandChannel(std::vector<std::string> argv, core::Duration timeout)
      : argv_(std::move(argv)), timeout_(timeout) {}
  // Ok on exit 0 ("exit 0"); kUnavailable when killed at the timeout (worth retrying);
  // kFailedPrecondition on another exit status or signal, or when the program cannot start.
  core::Status Deliver(const Payload& payload, std::string* detail) override;

 private:
  const std::vector<std::string> argv_;
  const core::Duration timeout_;
};

}  // namespace vitals::server
