import type { IdeaText } from './kit.ts';

// The demo's words: plausible ideas a software company's customers would send, per challenge.

const WHY = [
  'Most of our team would use it every day.',
  'We lose about an hour a week to this today.',
  'New colleagues ask us about this more than anything else.',
  'Our customers notice it first when something goes wrong.',
  'It would save us a spreadsheet we keep on the side.',
  'Two of our competitors already do something like it.',
];

/** The body goes on from the summary, which every idea page shows above it, instead of repeating it. */
function idea(title: string, summary: string, tags: string, n: number): IdeaText {
  return { title, summary, tags, body: `**Why it matters:** ${WHY[n % WHY.length]}\n\nHappy to test an early version with our team.` };
}

const list = (entries: Array<[string, string, string]>) => entries.map(([title, summary, tags], n) => idea(title, summary, tags, n));

export const ONBOARDING = {
  title: 'Make the first week delightful',
  summary: 'New customers struggle in their first week. What would make it easy, and even fun?',
  brief: '## The problem\n\nA third of new customers never finish setting up.\n\n## What we ask\n\nIdeas for the **first seven days**: emails, in-product guides, human help.',
  ideas: list([
    ['Setup checklist with a progress bar', 'A checklist on the home page that ticks itself off as you finish each setup step.', 'onboarding, checklist'],
    ['A daily tip email for the first week', 'One short email a day with one feature, written for the role the customer chose.', 'onboarding, email'],
    ['Live onboarding call in week one', 'A 20-minute call with a product expert, booked from inside the app.', 'onboarding, support'],
    ['Sample data to play with', 'Start with a realistic sample workspace that can be wiped with one click.', 'onboarding, data'],
    ['Import from spreadsheets on day one', 'Drag a CSV in and map its columns, instead of typing everything again.', 'import, onboarding'],
    ['Invite your team in the first five minutes', 'Ask for colleagues’ emails during sign-up, with a reason to invite each.', 'team, onboarding'],
    ['Role-based welcome tours', 'A different three-step tour for managers, admins and everyday users.', 'tour, onboarding'],
    ['Celebrate the first finished task', 'A small moment of delight when the first real piece of work is done.', 'delight'],
    ['Office hours every Thursday', 'A weekly open video session where new customers bring their questions.', 'support, community'],
    ['Templates by industry', 'Ready-made setups for retail, clinics, agencies and schools.', 'templates'],
    ['A “where was I?” panel', 'When you come back after a few days, show what you left unfinished.', 'onboarding, ux'],
    ['Keyboard shortcut cheat sheet', 'A printable one-page sheet of the shortcuts that matter most.', 'productivity'],
    ['Onboarding buddy from the community', 'Pair each new customer with an experienced one from the same industry.', 'community'],
    ['Plain-language glossary', 'Hover any product term to see what it means, in one sentence.', 'help, ux'],
    ['Free first month for annual plans', 'A discount that has nothing to do with the product experience.', 'pricing'],
    ['Video of the whole setup in 3 minutes', 'One short video on the welcome screen that shows every step.', 'video, onboarding'],
  ]),
};

export const INVOICES = {
  title: 'Invoices customers understand at a glance',
  summary: 'Our invoices raise more support tickets than any other page. Help us make them clear.',
  brief: '## Why\n\nOne in five support tickets is a question about an invoice.\n\n## What we ask\n\nIdeas for the invoice itself, the billing page and the emails around them.',
  ideas: list([
    ['Explain every line in plain words', 'Each invoice line gets a one-sentence explanation of what it charges for.', 'invoices, clarity'],
    ['Usage chart next to the total', 'A small chart of the month’s usage beside the amount, so spikes explain themselves.', 'invoices, charts'],
    ['Compare with last month', 'Show what changed since the previous invoice and why.', 'invoices'],
    ['Split invoices by department', 'Let customers split one invoice across cost centres.', 'invoices, finance'],
    ['Send invoices to the accounts team directly', 'A billing contact separate from the account owner.', 'billing, email'],
    ['Download all invoices as one PDF', 'For the yearly audit: every invoice of a year in one file.', 'invoices, export'],
    ['Warn before a surprise bill', 'An email when usage is heading past the usual amount.', 'billing, alerts'],
    ['Invoices in the customer’s language', 'Issue invoices in the language of the billing address.', 'invoices, i18n'],
    ['Show tax per country clearly', 'A separate, labelled tax line per jurisdiction.', 'invoices, tax'],
    ['Pay by bank transfer with a QR code', 'A payment QR code on the PDF for quick bank transfers.', 'payments'],
    ['Credit notes linked to the invoice', 'A refund shows up as a credit note linked to the invoice it corrects.', 'invoices, refunds'],
    ['Billing history with search', 'Find an invoice by amount, month or line item.', 'billing, search'],
  ]),
};

export const STORIES = {
  title: 'Customer stories worth telling',
  summary: 'Which stories from our customers should we tell next year, and how?',
  brief: '## What we ask\n\nTell us about a moment where our product made a difference, or a format you would enjoy reading or watching.\n\nThe best ideas go to the **marketing** team.',
  ideas: list([
    ['A clinic that halved its no-shows', 'Riverside Clinic cut missed appointments in half with reminders. Film the front desk.', 'story, healthcare'],
    ['Day-in-the-life videos of small shops', 'Short videos following a shop owner for a day, from opening to close.', 'video, retail'],
    ['A podcast with our power users', 'Monthly conversations with customers who built something clever.', 'podcast'],
    ['Before and after: the spreadsheet we replaced', 'Show the messy spreadsheet a customer used before, next to their workspace now.', 'story'],
    ['Student projects built on the platform', 'A showcase of what college students built in one term.', 'education, showcase'],
    ['A yearly customer awards night', 'Awards for the most creative uses, voted by the community.', 'event, community'],
    ['Case study: a council going paperless', 'Greenvale Council moved every permit online. Tell how.', 'story, public sector'],
    ['Customer-written tips newsletter', 'A newsletter where each issue is written by a different customer.', 'newsletter, community'],
    ['Photo essay of our customers’ workplaces', 'Portraits of the places where people use our product.', 'photography'],
    ['Short stories from our support team', 'Support agents tell the most heartwarming ticket of the month.', 'story, support'],
    ['Agency playbook series', 'Agencies share the workflow templates they use with clients.', 'agencies, templates'],
    ['Map of customers around the world', 'An interactive map with a story behind each pin.', 'map, web'],
    ['A documentary about a credit union', 'How a small credit union competes with big banks using our tools.', 'finance, video'],
    ['Customer stories podcast', 'A podcast where customers tell their stories in their own words.', 'podcast, story'],
    ['Buy followers for our social accounts', 'Grow the numbers quickly with a paid follower package.', 'social'],
    ['Live Q&A with the founders', 'A quarterly live session where customers ask the founders anything.', 'event, live'],
    ['Translated stories for Asia Pacific', 'Our best stories, translated and told by local customers.', 'i18n, story'],
    ['Comic strip about onboarding mishaps', 'A light-hearted comic about what goes wrong in a first week.', 'illustration, humour'],
    ['Teachers’ lounge interview series', 'Teachers share how they plan a term with the product.', 'education, interview'],
    ['Open data report on how teams work', 'An anonymous yearly report on working patterns across customers.', 'data, report'],
  ]),
};

const OFFLINE_ENTRIES: Array<[string, string, string]> = [
  ['Work offline on the train', 'Keep the last week of work on the device and sync when the connection returns.', 'offline, sync'],
  ['Show what has not synced yet', 'A clear badge on every change that is still waiting to sync.', 'offline, ux'],
  ['Resolve conflicts side by side', 'When two people edited the same thing offline, show both versions and let me pick.', 'offline, conflicts'],
  ['Download a project for a field trip', 'Choose a project to keep fully available offline, attachments included.', 'offline, files'],
  ['Offline search', 'Search what is stored on the device, even without a connection.', 'offline, search'],
  ['Low-bandwidth mode', 'Text first, images on demand, for slow rural connections.', 'performance'],
  ['Sync over the local network', 'Devices in the same office sync with each other when the internet is down.', 'sync, network'],
  ['Offline forms for site inspections', 'Fill in inspection forms in a basement and send them later.', 'offline, forms'],
  ['Queue emails written offline', 'Write replies offline; they go out when the connection returns.', 'offline, email'],
  ['Battery saver sync schedule', 'Sync less often when the battery is low.', 'mobile, battery'],
  ['Offline maps of customer sites', 'Keep the map of today’s customer visits on the phone.', 'maps, mobile'],
  ['Photo capture that never loses a picture', 'Photos taken offline are kept safe until they upload.', 'photos, offline'],
  ['Tell me when I am offline', 'A gentle banner saying I am offline and what still works.', 'offline, ux'],
  ['Offline sign-in with a PIN', 'Open the app offline with a device PIN after one online sign-in.', 'security, offline'],
  ['Sync progress for large files', 'Show how far a big upload is, and let me pause it.', 'sync, files'],
  ['Keep dashboards readable offline', 'The last loaded dashboard stays readable, with its date.', 'dashboards, offline'],
  ['Offline time tracking', 'Start and stop timers without a connection.', 'time tracking'],
  ['Undo after sync', 'Undo a change even after it synced, for a few minutes.', 'sync, undo'],
  ['Export offline data on demand', 'Save what is on the device as a file if sync keeps failing.', 'export, offline'],
  ['Offline mode for the desktop app', 'The same offline abilities on the desktop app as on mobile.', 'desktop, offline'],
  ['Smart prefetch before flights', 'Look at my calendar and prefetch what I need before a flight.', 'calendar, prefetch'],
  ['Offline comments', 'Comment on tasks offline; they appear for others after sync.', 'comments, offline'],
  ['Admin control over offline data', 'Admins choose which projects may be stored on devices.', 'admin, security'],
  ['Remote wipe of offline data', 'Wipe a lost device’s offline copy from the admin page.', 'security, devices'],
  ['Offline checklists for warehouses', 'Tick off picking lists in a warehouse with no signal.', 'warehouse, checklists'],
  ['Show the last sync time everywhere', 'A small “synced 3 minutes ago” in the corner of every screen.', 'sync, ux'],
  ['Conflict-free text editing', 'Edits from two devices merge like in a shared document.', 'sync, editing'],
  ['Offline barcode scanning', 'Scan barcodes offline and match them later.', 'scanning, mobile'],
  ['Compressed sync for roaming', 'Use less data when roaming abroad.', 'mobile, data'],
  ['Offline help articles', 'The help centre’s top articles stored in the app.', 'help, offline'],
  ['Background sync on Android', 'Sync in the background without opening the app.', 'android, sync'],
  ['Sync only on Wi-Fi option', 'Let me choose to sync large files only on Wi-Fi.', 'mobile, settings'],
  ['Offline signature capture', 'Customers sign deliveries on the phone, offline.', 'signatures, mobile'],
  ['Show who else is offline', 'See that a colleague’s changes have not arrived yet.', 'collaboration'],
  ['Offline reports for classrooms', 'Teachers read class reports in schools with poor Wi-Fi.', 'education, reports'],
  ['A sync log for support', 'A readable log of what synced and what failed, to send to support.', 'support, sync'],
  ['Offline-first calendar', 'The calendar works fully offline and syncs later.', 'calendar, offline'],
  ['Save drafts of everything locally', 'Never lose a half-written form when the app closes.', 'drafts'],
  ['Peer-to-peer file sharing', 'Send a file to a colleague nearby without the internet.', 'files, network'],
  ['Priority sync for urgent items', 'Urgent changes sync first when the connection is weak.', 'sync, priority'],
  ['Offline mode test switch', 'A switch to try offline mode before going somewhere remote.', 'offline, testing'],
  ['Let me work offline on my tablet at markets', 'Market stalls have no signal: let me take orders offline.', 'retail, offline'],
  ['Offline patient notes', 'Home-care nurses write notes offline, encrypted on the device.', 'healthcare, offline'],
  ['Offline-first public forms', 'Citizens fill permit forms offline at council kiosks.', 'public sector, forms'],
];

export const OFFLINE = {
  title: 'Work offline, anywhere',
  summary: 'Trains, basements, farms, planes: where do you lose the connection, and what should still work?',
  brief:
    '## The problem\n\nMany of you work where the connection comes and goes.\n\n## What we ask\n\nTell us **where** you lose the connection and **what** must keep working. Vote for the ideas you need, and compare pairs to help us rank them.',
  ideas: list(OFFLINE_ENTRIES),
};

export const COMMENTS = [
  'We would use this every week.',
  'This is exactly what our field team keeps asking for.',
  'How would this work with two devices?',
  'Love it. Could it also cover attachments?',
  'We tried something similar with a plug-in; it was slow. Built in would be great.',
  'Please keep it simple: one switch, not ten settings.',
  'Our auditors would thank you for this.',
  'Would this be on every plan, or only premium?',
];

export const REPLIES = ['Good question, we wondered the same.', 'Agreed, attachments matter most for us.', 'Plus one from the public sector.', 'Thanks! I added a note to the description.'];
