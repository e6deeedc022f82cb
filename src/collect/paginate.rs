//! The paging loop shared by every listing call.
//!
//! AWS list operations return one page and a continuation token (`NextToken` for EC2, `Marker`
//! for ElastiCache). [`paginate`] keeps asking until the token is absent or empty, and refuses to
//! loop forever: a token the server already sent, or more than [`MAX_PAGES`] pages, is an error
//! rather than a silent truncation.

use std::collections::HashSet;
use std::future::Future;

/// Upper bound on pages per call; far above anything a real account returns.
pub const MAX_PAGES: usize = 100_000;

/// One page: the items converted to the project's shapes and the token of the next page.
pub type Page<T> = (Vec<T>, Option<String>);

/// Why a paging loop stopped without finishing.
#[derive(Debug, thiserror::Error)]
pub enum PageError<E> {
    /// The request for one page failed.
    #[error("{0}")]
    Call(E),
    /// The server sent a token it had already sent: following it would never end.
    #[error("pagination loop: the server repeated a continuation token after {pages} pages")]
    RepeatedToken {
        /// Pages received before the repetition.
        pages: usize,
    },
    /// More pages than [`MAX_PAGES`].
    #[error("pagination stopped after {0} pages")]
    TooManyPages(usize),
}

/// Fetch every page: call `fetch(None)`, then `fetch(Some(token))` while a token comes back.
pub async fn paginate<T, E, F, Fut>(mut fetch: F) -> Result<Vec<T>, PageError<E>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, E>>,
{
    let mut all = Vec::new();
    let mut seen = HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0usize;
    loop {
        let (items, next) = fetch(token.take()).await.map_err(PageError::Call)?;
        pages += 1;
        all.extend(items);
        match next.filter(|t| !t.is_empty()) {
            None => return Ok(all),
            Some(next) => {
                if !seen.insert(next.clone()) {
                    return Err(PageError::RepeatedToken { pages });
                }
                if pages >= MAX_PAGES {
                    return Err(PageError::TooManyPages(pages));
                }
                token = Some(next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Replays recorded pages keyed by the token that requests them; records the tokens sent.
    struct Recorded {
        pages: Vec<(Option<&'static str>, Vec<u32>, Option<&'static str>)>,
        sent: Mutex<Vec<Option<String>>>,
    }

    impl Recorded {
        fn fetch(&self, token: Option<String>) -> Result<Page<u32>, String> {
            if let Ok(mut sent) = self.sent.lock() {
                sent.push(token.clone());
            }
            self.pages
                .iter()
                .find(|(t, _, _)| t.map(String::from) == token)
                .map(|(_, items, next)| (items.clone(), next.map(String::from)))
                .ok_or_else(|| format!("InvalidNextToken: {token:?}"))
        }
        fn sent(&self) -> Vec<Option<String>> {
            self.sent.lock().map(|s| s.clone()).unwrap_or_default()
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("test runtime")
            .block_on(f)
    }

    #[test]
    fn follows_tokens_to_the_last_page() {
        // Shape of a real DescribeVpcs exchange with MaxResults=5: three pages.
        let rec = Recorded {
            pages: vec![
                (None, vec![1, 2, 3, 4, 5], Some("eyJ2IjoiMiJ9page2")),
                (
                    Some("eyJ2IjoiMiJ9page2"),
                    vec![6, 7, 8, 9, 10],
                    Some("eyJ2IjoiMiJ9page3"),
                ),
                (Some("eyJ2IjoiMiJ9page3"), vec![11], None),
            ],
            sent: Mutex::new(Vec::new()),
        };
        let items = block_on(paginate(|t| {
            let r = rec.fetch(t);
            async move { r }
        }))
        .expect("all pages");
        assert_eq!(items, (1..=11).collect::<Vec<_>>());
        assert_eq!(
            rec.sent(),
            vec![
                None,
                Some("eyJ2IjoiMiJ9page2".to_string()),
                Some("eyJ2IjoiMiJ9page3".to_string())
            ]
        );
    }

    #[test]
    fn empty_token_ends_and_empty_pages_continue() {
        // EC2 may return an empty page with a token (filtered results), and "" as the last token.
        let rec = Recorded {
            pages: vec![(None, vec![], Some("a")), (Some("a"), vec![7], Some(""))],
            sent: Mutex::new(Vec::new()),
        };
        let items = block_on(paginate(|t| {
            let r = rec.fetch(t);
            async move { r }
        }))
        .expect("pages");
        assert_eq!(items, vec![7]);
        assert_eq!(rec.sent().len(), 2);
    }

    #[test]
    fn repeated_token_is_an_error_not_a_hang() {
        let rec = Recorded {
            pages: vec![(None, vec![1], Some("x")), (Some("x"), vec![2], Some("x"))],
            sent: Mutex::new(Vec::new()),
        };
        let err = block_on(paginate(|t| {
            let r = rec.fetch(t);
            async move { r }
        }))
        .expect_err("loop detected");
        assert!(
            matches!(err, PageError::RepeatedToken { pages: 2 }),
            "{err}"
        );
    }

    #[test]
    fn a_failed_page_fails_the_call() {
        let rec = Recorded {
            pages: vec![(None, vec![1], Some("gone"))],
            sent: Mutex::new(Vec::new()),
        };
        let err = block_on(paginate(|t| {
            let r = rec.fetch(t);
            async move { r }
        }))
        .expect_err("second page fails");
        assert!(err.to_string().starts_with("InvalidNextToken"), "{err}");
    }
}
