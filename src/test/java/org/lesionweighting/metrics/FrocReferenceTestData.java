package org.lesionweighting.metrics;

/** Synthetic pooled records written by {@code src/test/python/froc_reference.py}. */
public final class FrocReferenceTestData {

	private FrocReferenceTestData() {}

	/** 13 images with records (img07 and img11 have none), 22 lesions, 32 predicted components. */
	public static final String CSV = """
			image,kind,object,diameter,hit_dice,hit_logit,self_logit,hit_object
			img00,lesion,1,7.06,0.343,5.29,Infinity,1
			img00,lesion,2,6.01,0,-Infinity,Infinity,0
			img00,lesion,3,8.97,0,-Infinity,Infinity,0
			img00,lesion,4,11.03,0.423,3.29,Infinity,1
			img00,prediction,1,13.81,0.379,Infinity,8.41,1
			img01,prediction,1,15.26,0,-Infinity,2.57,0
			img01,prediction,2,4.31,0,-Infinity,10.07,0
			img01,prediction,3,9.53,0,-Infinity,4.39,0
			img01,prediction,4,4.67,0,-Infinity,0.41,0
			img01,prediction,5,12.66,0,-Infinity,12.32,0
			img02,lesion,1,9.48,0.186,10.0,Infinity,1
			img02,prediction,1,9.6,0.402,Infinity,3.94,1
			img02,prediction,2,9.72,0,-Infinity,9.07,0
			img02,prediction,3,18.22,0.451,Infinity,1.53,1
			img03,lesion,1,13.05,0,-Infinity,Infinity,0
			img03,lesion,2,8.88,0,-Infinity,Infinity,0
			img04,lesion,1,15.85,0.515,9.79,Infinity,1
			img04,lesion,2,19.13,0,-Infinity,Infinity,0
			img04,lesion,3,13.33,0.186,11.9,Infinity,1
			img04,prediction,1,9.51,0.847,Infinity,10.0,1
			img05,prediction,1,10.23,0,-Infinity,0.92,0
			img05,prediction,2,7.16,0,-Infinity,3.21,0
			img05,prediction,3,8.88,0,-Infinity,5.27,0
			img05,prediction,4,16.13,0,-Infinity,6.31,0
			img05,prediction,5,15.79,0,-Infinity,11.42,0
			img06,lesion,1,5.5,0.271,4.17,Infinity,1
			img06,lesion,2,4.34,0.797,11.47,Infinity,1
			img06,prediction,1,13.17,0,-Infinity,5.94,0
			img08,lesion,1,14.84,0.057,10.17,Infinity,1
			img08,lesion,2,8.45,0.823,1.41,Infinity,3
			img08,lesion,3,16.74,0.269,0.05,Infinity,4
			img08,prediction,1,9.49,0.447,Infinity,10.17,2
			img08,prediction,2,15.86,0,-Infinity,11.0,0
			img08,prediction,3,11.12,0.311,Infinity,10.16,3
			img08,prediction,4,17.66,0,-Infinity,11.73,0
			img09,lesion,1,17.06,0,-Infinity,Infinity,0
			img09,lesion,2,13.63,0.206,6.8,Infinity,1
			img09,lesion,3,9.79,0.831,6.45,Infinity,2
			img09,prediction,1,7.87,0,-Infinity,-0.11,0
			img09,prediction,2,1.44,0.456,Infinity,6.35,2
			img10,prediction,1,6.69,0,-Infinity,-0.45,0
			img12,lesion,1,2.36,0.152,1.89,Infinity,1
			img12,lesion,2,7.66,0,-Infinity,Infinity,0
			img12,lesion,3,18.34,0.569,4.38,Infinity,1
			img12,lesion,4,18.3,0,-Infinity,Infinity,0
			img12,prediction,1,13.78,0,-Infinity,-0.0,0
			img12,prediction,2,8.94,0.558,Infinity,1.54,4
			img12,prediction,3,10.69,0.782,Infinity,8.65,2
			img13,prediction,1,4.92,0,-Infinity,11.86,0
			img13,prediction,2,3.03,0,-Infinity,4.17,0
			img13,prediction,3,9.57,0,-Infinity,2.87,0
			img13,prediction,4,18.53,0,-Infinity,4.36,0
			img14,prediction,1,5.6,0,-Infinity,-0.91,0
			img14,prediction,2,9.54,0,-Infinity,11.25,0
			""";
}
