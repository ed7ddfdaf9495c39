// How an injected fault reaches the wire. Faults that replace the answer (errors, garbage, reset) are written
// instead of calling the module; body faults (truncated_body, slow_body_ms) change how the module's answer is sent.
#pragma once

#include <httplib.h>

#include "tools/sandbox/module.hpp"

namespace bankfeed::sandbox {

// truncated_body and slow_body_ms: the module answers first, then the body is sent short or slowly.
inline bool IsBodyFault(FaultKind k) { return k == FaultKind::kTruncatedBody || k == FaultKind::kSlowBody; }

// Writes the fault's answer into `res` (for reset: cuts the connection; the response is never sent).
void InjectReplacingFault(const FaultSpec& fault, const httplib::Request& req, httplib::Response& res,
                          StandardModule& module);

// Turns `res`'s body into one that stops half-way (truncated_body) or trickles over fault.value_ms (slow_body_ms).
// False when there is no body to cut (the fault then did not happen).
bool ApplyBodyFault(const FaultSpec& fault, httplib::Response& res);

// Sends a TCP RST on the request's connection and leaves httplib writing into a dead descriptor.
void ResetConnection(const httplib::Request& req);

}  // namespace bankfeed::sandbox
