// Canonical records (include/bankfeed) to API messages (bankfeed/v1). Money stays decimal text; absent values
// become empty strings, as types.proto says.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include "bankfeed/v1/admin.pb.h"
#include "bankfeed/v1/feed.pb.h"
#include "bankfeed/v1/types.pb.h"
#include "bankfeed/feed.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"

namespace bankfeed::daemon {

void ToProto(const Money& m, v1::Money& out);
// Moves the strings out of `p`, `t` and the rest (the feed's copy is not needed afterwards).
void ToProto(Party&& p, v1::Party& out);
void ToProto(Transaction&& t, bool include_raw_json, v1::Transaction& out);
void ToProto(FeedEntry&& e, bool include_raw_json, v1::Change& out);
void ToProto(FeedPage&& page, bool include_raw_json, v1::SyncResponse& out);
void ToProto(const AccountRecord& a, v1::Account& out);
void ToProto(const Balance& b, v1::Balance& out);
void ToProto(const AccountSyncResult& r, v1::AccountSyncResult& out);
void ToProto(const DateTime& t, google::protobuf::Timestamp& out);

v1::TransactionStatus ToProto(TransactionStatus s);
v1::ChangeKind ToProto(ChangeKind k);
v1::ConsentStatus ToProto(ConsentStatus s);
v1::ScaApproach ToProto(ScaApproach a);
std::optional<ScaApproach> FromProto(v1::ScaApproach a);
v1::SyncOutcome ToProto(SyncOutcome o);

}  // namespace bankfeed::daemon
