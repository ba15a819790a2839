// Every model, registered before connecting so their indexes are built at start.
import '../features/accounts/user.model.ts';
import '../features/accounts/account-token.model.ts';
import '../features/audit/audit.model.ts';
import './counters.ts';
import './lease.ts';
import '../features/challenges/challenge.model.ts';
import '../features/ideas/idea.model.ts';
import '../features/ideas/authored-ideas.model.ts';
import '../features/community/vote.model.ts';
import '../features/community/comparison.model.ts';
import '../features/community/follow.model.ts';
import '../features/community/comment.model.ts';
import '../features/community/report.model.ts';
import '../features/notifications/notification.model.ts';
import '../features/curation/merge.model.ts';
import '../features/insights/insights.model.ts';
import '../features/insights/individual-activity.model.ts';
