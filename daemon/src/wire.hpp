// Feed pages straight to the protobuf wire format, without building the messages first.
//
// Feed.Sync's pages are the daemon's bulk: a page of 1,000 changes is some 40,000 message objects and strings when
// built as v1 messages, only to be serialized and freed again. AppendSyncResponse writes the same bytes directly,
// with protobuf's own wire-format primitives (WireFormatLite tags, CodedOutputStream varints), field by field in
// field-number order, skipping proto3 defaults: exactly what SerializeAsString of the message that ToProto
// (convert.hpp) builds gives. tests/unit/daemon/wire_test.cpp holds the two byte for byte equal over records with
// every field set, so a field added to the API and to ToProto but not here fails the build's tests.
#pragma once

#include <string>

#include "bankfeed/feed.hpp"

namespace bankfeed::daemon {

// Appends the serialized v1.SyncResponse of `page` to `out`; `page` is consumed (its changes cleared).
void AppendSyncResponse(FeedPage&& page, bool include_raw_json, std::string& out);

}  // namespace bankfeed::daemon
