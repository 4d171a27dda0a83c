//! Every text the bot's interface shows (greeting, help, buttons, refusals, errors), in
//! English and Russian, kept in one place. Answers themselves are worded by the library.

use crate::question::Lang;

/// The interface language for a Telegram `language_code`: Russian for ru, kk, ky (and
/// other CIS codes whose speakers read Russian), English for everyone else.
pub fn lang_for(code: Option<&str>) -> Lang {
    match code.map(|c| c.split(['-', '_']).next().unwrap_or("").to_lowercase()) {
        Some(c) if matches!(c.as_str(), "ru" | "kk" | "ky" | "uz" | "tg" | "be") => Lang::Ru,
        _ => Lang::En,
    }
}

pub struct Texts {
    pub greeting: &'static str,
    pub try_these: &'static str,
    pub help: &'static str,
    pub source_button: &'static str,
    pub more_button: &'static str,
    pub chart_button: &'static str,
    pub empty_ask: &'static str,
    pub not_text: &'static str,
    pub unknown_command: &'static str,
    pub slow_down: &'static str,
    pub not_allowed: &'static str,
    pub not_allowed_toast: &'static str,
    pub your_ids: &'static str,
    pub chat_ids: &'static str,
    pub not_admin: &'static str,
    pub reindex_started: &'static str,
    pub reindex_busy: &'static str,
    pub reindex_done: &'static str,
    pub reindex_failed: &'static str,
    pub expired: &'static str,
    pub sources_title: &'static str,
    pub about: &'static str,
    pub inline_examples: &'static str,
    pub internal_error: &'static str,
    pub no_chart: &'static str,
}

const EN: Texts = Texts {
    greeting: "Hello! I answer questions from my documents: trade figures, dates of events, and anything they say.",
    try_these: "Try one of these:",
    help: "<b>Ask me anything</b> in plain words, or use a command:\n\
/ask <i>question</i> — e.g. <code>/ask how many joint ventures operate</code>\n\
/trade <i>[countries] [year|range]</i> — e.g. <code>/trade kz kg 2003</code> or <code>/trade 2000-2003</code>\n\
/when <i>event</i> — e.g. <code>/when treaty of friendship signed</code>\n\
/timeline <i>[words]</i> — all dated events, e.g. <code>/timeline treaty</code>\n\
/sources — the documents I know\n\
/about — what I am\n\
/id — your user id and this chat's id\n\n\
In groups, mention me (@{bot}) or reply to my message; commands work as /cmd@{bot}.\n\
Inline: type <code>@{bot} trade 2002</code> in any chat.",
    source_button: "📄 Source",
    more_button: "➕ More",
    chart_button: "📈 Chart",
    empty_ask: "Ask a question after the command, e.g. <code>/ask {example}</code>",
    not_text: "Send me a question as text.",
    unknown_command: "I don't know that command. /help lists what I can do.",
    slow_down: "Slow down a little, please: you can ask {n} questions a minute. I'll answer again shortly.",
    not_allowed: "Sorry, this bot is private. Your user id is <code>{user}</code>: send it to the bot's owner to be let in.",
    not_allowed_toast: "Sorry, this bot is private (your user id: {user}).",
    your_ids: "Your user id: <code>{user}</code>\nThis chat's id: <code>{chat}</code>\n\
The bot's owner lets you in with <code>allowed_users</code> (you, anywhere) or <code>allowed_chats</code> (everyone in this chat) in its config.",
    chat_ids: "You write on behalf of this chat, which has no user id.\nThis chat's id: <code>{chat}</code>\n\
The bot's owner lets everyone in this chat in with <code>allowed_chats</code> in its config.",
    not_admin: "Only the bot's admins can rebuild the index.",
    reindex_started: "Rebuilding the index… I keep answering from the current one meanwhile.",
    reindex_busy: "A rebuild is already running.",
    reindex_done: "Index rebuilt: {docs} documents, {passages} passages, {facts} facts.",
    reindex_failed: "The rebuild failed; I keep answering from the previous index. Reason: {reason}",
    expired: "This button has expired; ask again, please.",
    sources_title: "<b>Documents I answer from</b>",
    about: "<b>factbot</b> answers questions from a folder of documents: the best passages with their source, \
trade figures with their year and parties, dates with their events. It never invents a figure: \
when the documents don't say, it tells you so.\nI know {docs} documents ({passages} passages, {facts} facts).",
    inline_examples: "Examples",
    internal_error: "Something went wrong while answering; please try again.",
    no_chart: "There is no series of figures to chart here.",
};

const RU: Texts = Texts {
    greeting: "Здравствуйте! Я отвечаю на вопросы по своим документам: цифры торговли, даты событий и всё, о чём в них говорится.",
    try_these: "Попробуйте:",
    help: "<b>Спрашивайте обычными словами</b> или командой:\n\
/ask <i>вопрос</i> — например, <code>/ask сколько совместных предприятий</code>\n\
/trade <i>[страны] [год|период]</i> — например, <code>/trade kz kg 2003</code> или <code>/trade 2000-2003</code>\n\
/when <i>событие</i> — например, <code>/when договор о дружбе</code>\n\
/timeline <i>[слова]</i> — все датированные события\n\
/sources — документы, по которым я отвечаю\n\
/about — что я умею\n\
/id — ваш id и id этого чата\n\n\
В группах упомяните меня (@{bot}) или ответьте на моё сообщение; команды — как /cmd@{bot}.\n\
Встроенный режим: наберите <code>@{bot} товарооборот 2002</code> в любом чате.",
    source_button: "📄 Источник",
    more_button: "➕ Ещё",
    chart_button: "📈 График",
    empty_ask: "Напишите вопрос после команды, например: <code>/ask {example}</code>",
    not_text: "Пришлите вопрос текстом.",
    unknown_command: "Такой команды нет. Список команд — /help.",
    slow_down: "Помедленнее, пожалуйста: можно задавать {n} вопросов в минуту. Скоро отвечу снова.",
    not_allowed: "Извините, это закрытый бот. Ваш id: <code>{user}</code> — сообщите его владельцу бота, чтобы получить доступ.",
    not_allowed_toast: "Извините, это закрытый бот (ваш id: {user}).",
    your_ids: "Ваш id: <code>{user}</code>\nid этого чата: <code>{chat}</code>\n\
Владелец бота открывает доступ в его настройках: <code>allowed_users</code> (вам, в любом чате) или <code>allowed_chats</code> (всем в этом чате).",
    chat_ids: "Вы пишете от имени этого чата, у него нет id пользователя.\nid этого чата: <code>{chat}</code>\n\
Владелец бота открывает доступ всем в этом чате в его настройках: <code>allowed_chats</code>.",
    not_admin: "Перестраивать индекс могут только администраторы бота.",
    reindex_started: "Перестраиваю индекс… Пока отвечаю по текущему.",
    reindex_busy: "Перестройка индекса уже идёт.",
    reindex_done: "Индекс перестроен: документов {docs}, фрагментов {passages}, фактов {facts}.",
    reindex_failed: "Не удалось перестроить индекс; отвечаю по прежнему. Причина: {reason}",
    expired: "Кнопка устарела; задайте вопрос снова.",
    sources_title: "<b>Документы, по которым я отвечаю</b>",
    about: "<b>factbot</b> отвечает на вопросы по папке документов: лучшие фрагменты с источником, \
цифры торговли с годом и сторонами, даты с событиями. Он никогда не выдумывает цифр: \
если в документах этого нет, он так и говорит.\nДокументов: {docs} (фрагментов {passages}, фактов {facts}).",
    inline_examples: "Примеры",
    internal_error: "Что-то пошло не так; попробуйте ещё раз.",
    no_chart: "Здесь нет ряда цифр для графика.",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        assert_eq!(lang_for(Some("ru")), Lang::Ru);
        assert_eq!(lang_for(Some("kk")), Lang::Ru);
        assert_eq!(lang_for(Some("ky-KG")), Lang::Ru);
        assert_eq!(lang_for(Some("en-US")), Lang::En);
        assert_eq!(lang_for(Some("de")), Lang::En);
        assert_eq!(lang_for(None), Lang::En);
    }
}
